/**
 * Reading the compose files as Docker Compose would, for the static tests of the container setup:
 * services with their merge keys resolved, environments with `${VAR…}` interpolated, ports,
 * mounts, and the values an operator supplies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { parse } from 'yaml';

export const root = resolve(__dirname, '..', '..');

// ---------------------------------------------------------------------------------------------
// docker-compose.yml helpers

export type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function loadCompose(file = 'docker-compose.yml'): Dict {
  // merge: true resolves `<<: *anchor` the way Docker Compose does (YAML 1.2 leaves it literal).
  const doc: unknown = parse(readFileSync(join(root, file), 'utf8'), { merge: true });
  if (!isDict(doc)) throw new Error(`${file} is not a mapping`);
  return doc;
}

export const compose = loadCompose();
export const services: Record<string, Dict> = (() => {
  const raw = compose.services;
  if (!isDict(raw)) throw new Error('docker-compose.yml has no services mapping');
  const out: Record<string, Dict> = {};
  for (const [name, svc] of Object.entries(raw)) {
    if (!isDict(svc)) throw new Error(`service ${name} is not a mapping`);
    out[name] = svc;
  }
  return out;
})();

export function service(name: string): Dict {
  const svc = services[name];
  if (!svc) throw new Error(`service ${name} is missing from docker-compose.yml`);
  return svc;
}

/** Environment in either Compose form (mapping, or list of KEY=VALUE), values as strings. */
export function env(name: string): Record<string, string> {
  const raw = service(name).environment;
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const text = String(entry);
      const eq = text.indexOf('=');
      out[eq < 0 ? text : text.slice(0, eq)] = eq < 0 ? '' : text.slice(eq + 1);
    }
  } else if (isDict(raw)) {
    for (const [key, value] of Object.entries(raw)) out[key] = value === null ? '' : String(value);
  }
  return out;
}

/**
 * A service's environment as the container receives it: Compose's interpolation of `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `$VAR` and `$$` with the
 * operator's variables `vars`. A missing required variable throws, as `docker compose` stops.
 */
export function interpolated(name: string, vars: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(env(name))) {
    out[key] = raw.replace(
      /\$\$|\$\{(\w+)(?:(:?)([-?])([^}]*))?\}|\$(\w+)/g,
      (match, braced: string | undefined, colon: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
        if (match === '$$') return '$';
        const variable = (braced ?? bare) as string;
        const value = vars[variable];
        const missing = value === undefined || (colon === ':' && value === '');
        if (op === '-') return missing ? (arg ?? '') : (value as string);
        if (op === '?' && missing) throw new Error(`required variable ${variable} is missing a value: ${arg ?? ''}`);
        return value ?? '';
      },
    );
  }
  return out;
}

/** `command` / `entrypoint` as one string, whether given as a string or as a list. */
export function text(name: string, key: 'command' | 'entrypoint'): string {
  const raw = service(name)[key];
  if (raw === undefined || raw === null) return '';
  return Array.isArray(raw) ? raw.map(String).join(' ') : String(raw);
}

export function argv(name: string): string[] {
  const raw = service(name).command;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.trim().split(/\s+/) : [];
}

export interface PortMapping {
  /** The host address it is published on; undefined: every interface. */
  host?: string | undefined;
  published: string | undefined;
  target: string;
}

/** Short ("[ip:]published:target[/proto]", "target") and long port syntax. */
export function portsOf(svc: Dict): PortMapping[] {
  const raw = svc.ports;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new Error('ports is not a list');
  return raw.map((entry): PortMapping => {
    if (isDict(entry)) {
      return {
        host: entry.host_ip === undefined ? undefined : String(entry.host_ip),
        published: entry.published === undefined ? undefined : String(entry.published),
        target: String(entry.target),
      };
    }
    const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
    const target = parts[parts.length - 1] ?? '';
    return { host: parts.length > 2 ? parts.slice(0, -2).join(':') : undefined, published: parts.length > 1 ? parts[parts.length - 2] : undefined, target };
  });
}

export function ports(name: string): PortMapping[] {
  return portsOf(service(name));
}

/** The ports a service offers inside the compose network (`expose`). */
export function exposed(name: string): string[] {
  return ((service(name).expose ?? []) as unknown[]).map(String);
}

/** PostgreSQL's init scripts (.sql, and the SQL inside .sh), without comments. */
export function initSql(hostDir: string): string {
  return readdirSync(hostDir)
    .filter((f) => f.endsWith('.sql') || f.endsWith('.sh'))
    .map((f) => readFileSync(join(hostDir, f), 'utf8'))
    .join('\n')
    .replace(/--.*$/gm, '')
    .replace(/^\s*#.*$/gm, '');
}

/** depends_on in either form, as target -> condition. */
export function dependsOn(name: string): Record<string, string> {
  const raw = service(name).depends_on;
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const target of raw) out[String(target)] = 'service_started';
  } else if (isDict(raw)) {
    for (const [target, spec] of Object.entries(raw)) {
      out[target] = isDict(spec) && typeof spec.condition === 'string' ? spec.condition : 'service_started';
    }
  }
  return out;
}

export interface Registration {
  name: string;
  type: string;
  namespace: string | undefined;
}

/** Every `temporal operator search-attribute create` in a shell script, one entry per --name. */
export function searchAttributeCreates(script: string): Registration[] {
  const found: Registration[] = [];
  const unfolded = script.replace(/\\\r?\n/g, ' ');
  for (const line of unfolded.split(/\r?\n|;|&&/)) {
    const match = /\btemporal\s+operator\s+search-attribute\s+create\b(.*)$/.exec(line);
    if (!match) continue;
    const args = match[1] ?? '';
    const namespace = /(?:--namespace|-n)[\s=]+(\S+)/.exec(args)?.[1];
    const names = [...args.matchAll(/--name[\s=]+(\S+)/g)].map((m) => m[1] ?? '');
    const types = [...args.matchAll(/--type[\s=]+(\S+)/g)].map((m) => m[1] ?? '');
    expect(types).toHaveLength(names.length);
    names.forEach((saName, i) => found.push({ name: saName, type: types[i] ?? '', namespace }));
  }
  return found;
}

export const TEMPORAL = 'temporal';
export const APP_SERVICES = ['api', 'worker'] as const;

/** What an operator puts in API_KEYS: a key given by its SHA-256, as the README recommends. */
export const productionApiKeys = JSON.stringify([{ sha256: 'a'.repeat(64), id: 'crm', role: 'service' }]);
export const metricsToken = 'metrics-scrape-token-'.padEnd(40, 'm');
/** The variables only the API reads (config/settings.ts `loadAuthSettings`). */
export const isCredential = (key: string) => ['API_KEYS', 'METRICS_TOKEN', 'CUSTOMER_REF_KEY', 'COMMAND_SIGNING_KEYS'].includes(key) || key.startsWith('AUTH_');
/** What the worker needs to call the outside systems in production. */
export const outsideSystems = { EFFECTS_BASE_URL: 'https://effects.example.net/v1', EFFECTS_CREDENTIALS: JSON.stringify({ default: { bearer: 'effects-token-0123456789abcdef' } }) };
/** The payload key ring every application container encrypts with. */
export const payloadKeys = { PAYLOAD_KEYS: JSON.stringify({ 'k-2026': Buffer.alloc(32, 7).toString('base64') }), PAYLOAD_ACTIVE_KEY: 'k-2026' };
/**
 * What both app services need whatever else they do: the archive's database password (for
 * DATABASE_URL), the payload key ring, and the api's key for customer references.
 */
export const archiveDatabase = { ARCHIVE_DB_PASSWORD: 'archive-db-password-0123456789abcdef', ...payloadKeys, CUSTOMER_REF_KEY: 'customer-reference-key-for-the-compose-test', COMMAND_SIGNING_KEYS: JSON.stringify({ s1: Buffer.alloc(32, 5).toString('base64') }) };

/** The host file or folder mounted at `target` in `name`'s container (read-only), resolved from the repository root. */
export function mountedAt(name: string, target: string): string {
  const volumes = ((service(name).volumes ?? []) as unknown[]).map(String);
  const mount = volumes.find((v) => v.split(':')[1] === target);
  if (!mount) throw new Error(`${name} mounts nothing at ${target}`);
  const [source, , mode] = mount.split(':');
  expect({ mount, readOnly: mode === 'ro' }).toEqual({ mount, readOnly: true });
  return resolve(root, source!);
}

export function loadYaml(path: string): Dict {
  const doc: unknown = parse(readFileSync(path, 'utf8'));
  if (!isDict(doc)) throw new Error(`${path} is not a mapping`);
  return doc;
}

