/**
 * Static checks of the production-shaped container setup: docker-compose.yml's wiring and how it
 * is locked (with docker-compose.expose.yml, .env.example and PostgreSQL's init script), the
 * Dockerfile's stages and .dockerignore. No Docker engine is needed; the files are parsed and
 * cross-checked against each other and against the workflows' search attribute list.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { parse } from 'yaml';
import { apiMetrics } from '../../api/metrics/routes';
import { loadAuthSettings, loadSettings } from '../../config/settings';
import { createPortsFromConfig } from '../../activities/adapters';
import { createWorkerMetrics } from '../../worker/metrics';
import { searchAttributeRegistrations } from '../../contract/search-attributes';
import { shippedPolicy } from '../support/fixtures';

const root = resolve(__dirname, '..', '..');

// ---------------------------------------------------------------------------------------------
// docker-compose.yml helpers

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadCompose(file = 'docker-compose.yml'): Dict {
  // merge: true resolves `<<: *anchor` the way Docker Compose does (YAML 1.2 leaves it literal).
  const doc: unknown = parse(readFileSync(join(root, file), 'utf8'), { merge: true });
  if (!isDict(doc)) throw new Error(`${file} is not a mapping`);
  return doc;
}

const compose = loadCompose();
const services: Record<string, Dict> = (() => {
  const raw = compose.services;
  if (!isDict(raw)) throw new Error('docker-compose.yml has no services mapping');
  const out: Record<string, Dict> = {};
  for (const [name, svc] of Object.entries(raw)) {
    if (!isDict(svc)) throw new Error(`service ${name} is not a mapping`);
    out[name] = svc;
  }
  return out;
})();

function service(name: string): Dict {
  const svc = services[name];
  if (!svc) throw new Error(`service ${name} is missing from docker-compose.yml`);
  return svc;
}

/** Environment in either Compose form (mapping, or list of KEY=VALUE), values as strings. */
function env(name: string): Record<string, string> {
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
function interpolated(name: string, vars: Record<string, string | undefined>): Record<string, string> {
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
function text(name: string, key: 'command' | 'entrypoint'): string {
  const raw = service(name)[key];
  if (raw === undefined || raw === null) return '';
  return Array.isArray(raw) ? raw.map(String).join(' ') : String(raw);
}

function argv(name: string): string[] {
  const raw = service(name).command;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.trim().split(/\s+/) : [];
}

interface PortMapping {
  /** The host address it is published on; undefined: every interface. */
  host?: string | undefined;
  published: string | undefined;
  target: string;
}

/** Short ("[ip:]published:target[/proto]", "target") and long port syntax. */
function portsOf(svc: Dict): PortMapping[] {
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

function ports(name: string): PortMapping[] {
  return portsOf(service(name));
}

/** The ports a service offers inside the compose network (`expose`). */
function exposed(name: string): string[] {
  return ((service(name).expose ?? []) as unknown[]).map(String);
}

/** PostgreSQL's init scripts (.sql, and the SQL inside .sh), without comments. */
function initSql(hostDir: string): string {
  return readdirSync(hostDir)
    .filter((f) => f.endsWith('.sql') || f.endsWith('.sh'))
    .map((f) => readFileSync(join(hostDir, f), 'utf8'))
    .join('\n')
    .replace(/--.*$/gm, '')
    .replace(/^\s*#.*$/gm, '');
}

/** depends_on in either form, as target -> condition. */
function dependsOn(name: string): Record<string, string> {
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

interface Registration {
  name: string;
  type: string;
  namespace: string | undefined;
}

/** Every `temporal operator search-attribute create` in a shell script, one entry per --name. */
function searchAttributeCreates(script: string): Registration[] {
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

const TEMPORAL = 'temporal';
const APP_SERVICES = ['api', 'worker'] as const;

/** What an operator puts in API_KEYS: a key given by its SHA-256, as the README recommends. */
const productionApiKeys = JSON.stringify([{ sha256: 'a'.repeat(64), id: 'crm', role: 'service' }]);
const metricsToken = 'metrics-scrape-token-'.padEnd(40, 'm');
/** The variables only the API reads (config/settings.ts `loadAuthSettings`). */
const isCredential = (key: string) => key === 'API_KEYS' || key === 'METRICS_TOKEN' || key.startsWith('AUTH_');
/** What the worker needs to call the outside systems in production. */
const outsideSystems = { EFFECTS_BASE_URL: 'https://effects.example.net/v1', EFFECTS_CREDENTIALS: JSON.stringify({ default: { bearer: 'effects-token-0123456789abcdef' } }) };
/** The archive's database password, which both app services need for DATABASE_URL. */
const archiveDatabase = { ARCHIVE_DB_PASSWORD: 'archive-db-password-0123456789abcdef' };

// ---------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  it('defines the whole stack', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', TEMPORAL, 'temporal-admin-tools', 'temporal-ui', 'api', 'worker', 'prometheus', 'grafana']),
    );
  });

  it('has every merge key resolved (no literal "<<" left in any service)', () => {
    expect(JSON.stringify(services)).not.toContain('"<<"');
  });

  it('points every depends_on at an existing service, with a valid condition', () => {
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    const edges = Object.keys(services).flatMap((from) =>
      Object.entries(dependsOn(from)).map(([to, condition]) => ({ from, to, condition })),
    );
    expect(edges.length).toBeGreaterThan(0);
    for (const edge of edges) {
      expect({ ...edge, exists: edge.to in services }).toEqual({ ...edge, exists: true });
      expect(conditions).toContain(edge.condition);
      if (edge.condition === 'service_healthy') {
        expect({ target: edge.to, healthcheck: isDict(service(edge.to).healthcheck) }).toEqual({
          target: edge.to,
          healthcheck: true,
        });
      }
    }
  });

  describe('temporal', () => {
    it('is the real, pinned Temporal server image, not the dev server', () => {
      const image = String(service(TEMPORAL).image);
      expect(image).toMatch(/^temporalio\/(auto-setup|server):\d+\.\d+(\.\d+)*$/);
      // temporalio/temporal is the CLI image whose `server start-dev` keeps state in SQLite.
      expect(image).not.toMatch(/^temporalio\/temporal(:|$)/);
      expect(`${text(TEMPORAL, 'entrypoint')} ${text(TEMPORAL, 'command')}`).not.toMatch(/start-dev/);
    });

    it('persists in the postgresql service, once it is healthy, as its own role with the password the init script gives it', () => {
      const temporalEnv = env(TEMPORAL);
      const pgEnv = env('postgresql');
      expect(temporalEnv.DB).toMatch(/^postgres/);
      expect(temporalEnv.DB_PORT).toBe('5432');
      expect(temporalEnv.POSTGRES_SEEDS).toBe('postgresql');
      expect(String(service('postgresql').image)).toMatch(/^postgres:\d+/);
      expect(temporalEnv.POSTGRES_USER).toBe('temporal');
      expect(temporalEnv.POSTGRES_PWD).toBe(pgEnv.TEMPORAL_DB_PASSWORD);
      expect(dependsOn(TEMPORAL)).toMatchObject({ postgresql: 'service_healthy' });
    });

    it('uses the databases the init script creates for it, without creating any itself (its role may not)', () => {
      expect(env(TEMPORAL)).toMatchObject({ DBNAME: 'temporal', VISIBILITY_DBNAME: 'temporal_visibility', SKIP_DB_CREATE: 'true' });
    });

    it('offers the frontend on 7233 inside the compose network', () => {
      expect(exposed(TEMPORAL)).toContain('7233');
    });
  });

  describe('postgresql', () => {
    it('is health-checked with pg_isready and keeps its data on a declared named volume', () => {
      const healthcheck = service('postgresql').healthcheck;
      expect(isDict(healthcheck) ? JSON.stringify(healthcheck.test) : '').toContain('pg_isready');

      const volumes = (service('postgresql').volumes ?? []) as unknown[];
      const dataVolume = volumes
        .map(String)
        .find((v) => v.split(':')[1] === '/var/lib/postgresql/data')
        ?.split(':')[0];
      expect(dataVolume).toMatch(/^[A-Za-z0-9][\w.-]*$/); // a named volume, not a host path
      expect(isDict(compose.volumes) && dataVolume !== undefined && dataVolume in compose.volumes).toBe(true);
    });

    it('creates the database the apps connect to, from a mounted init script', () => {
      const databaseUrl = new URL(interpolated('api', { ...archiveDatabase, API_KEYS: productionApiKeys, METRICS_TOKEN: metricsToken }).DATABASE_URL ?? '');
      const database = databaseUrl.pathname.replace(/^\//, '');
      expect(database).not.toBe('');

      const volumes = ((service('postgresql').volumes ?? []) as unknown[]).map(String);
      const initMount = volumes.find((v) => v.split(':')[1] === '/docker-entrypoint-initdb.d');
      expect(initMount).toBeDefined();
      const hostDir = resolve(root, (initMount ?? '').split(':')[0] ?? '');
      expect(existsSync(hostDir)).toBe(true);
      expect(initSql(hostDir)).toMatch(new RegExp(`CREATE\\s+DATABASE\\s+"?${database}"?\\s+OWNER\\s+"?${databaseUrl.username}"?\\s*;`, 'i'));
    });
  });

  describe.each(APP_SERVICES)('%s', (name) => {
    it('reaches Temporal at the temporal service name and its frontend port', () => {
      const address = env(name).TEMPORAL_ADDRESS ?? '';
      expect(address).toBe('temporal:7233');
      const [host, port] = address.split(':');
      expect(host && host in services).toBe(true);
      expect(exposed(host ?? '')).toContain(port);
      expect(env(name).TEMPORAL_NAMESPACE).toBe('default');
    });

    it("reaches PostgreSQL through the postgresql service as the archive's role, with the password the init script gives it", () => {
      const url = new URL(interpolated(name, { ...archiveDatabase, ...outsideSystems, API_KEYS: productionApiKeys, METRICS_TOKEN: metricsToken }).DATABASE_URL ?? '');
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('postgresql');
      expect(url.port).toBe('5432');
      expect(url.username).toBe('complaint_archive');
      expect(url.password).toBe(archiveDatabase.ARCHIVE_DB_PASSWORD);
      expect(env('postgresql').ARCHIVE_DB_PASSWORD).toBe('${ARCHIVE_DB_PASSWORD:?set ARCHIVE_DB_PASSWORD: the complaint archive\'s database password (URL-safe, see .env.example)}');
      expect(env(name).DATABASE_URL).toContain(env('postgresql').ARCHIVE_DB_PASSWORD);
    });

    it('runs in production mode from the compiled output', () => {
      expect(env(name).NODE_ENV).toBe('production');
      // The worker without V8's memory reducer (worker/worker.ts, keepHeapThroughCalm).
      const flags = name === 'worker' ? ['--no-memory-reducer'] : [];
      expect(argv(name)).toEqual(['node', ...flags, `dist/${name}/main.js`]);
    });

    it('starts only after the search attributes are registered', () => {
      expect(dependsOn(name)).toMatchObject({ 'temporal-admin-tools': 'service_completed_successfully' });
    });

    it('passes its settings check with only API_KEYS supplied: no variable arrives empty', () => {
      // The settings refuse an empty AUTH_JWT_SECRET, AUTH_JWKS_URL, ... rather than treating it as
      // unset, so an optional pass-through like `${AUTH_JWT_SECRET:-}` would stop the process.
      const containerEnv = interpolated(name, { API_KEYS: productionApiKeys, METRICS_TOKEN: metricsToken, ...outsideSystems, ...archiveDatabase });
      expect(Object.entries(containerEnv).filter(([, value]) => value === '')).toEqual([]);
      expect(() => loadSettings(containerEnv)).not.toThrow();
    });
  });

  describe('api', () => {
    it('is production and takes its API keys from your environment, required, with no default', () => {
      expect(env('api').NODE_ENV).toBe('production');
      expect(env('api').API_KEYS).toMatch(/^\$\{API_KEYS:\?[^}]+\}$/);
      expect(() => interpolated('api', archiveDatabase)).toThrow(/required variable API_KEYS is missing a value/);
      expect(() => interpolated('api', { ...archiveDatabase, API_KEYS: '' })).toThrow(/required variable API_KEYS is missing a value/);
    });

    it('starts with the keys you supply, in production mode, not the development ones', () => {
      const containerEnv = interpolated('api', { ...archiveDatabase, API_KEYS: productionApiKeys, METRICS_TOKEN: metricsToken });
      expect(containerEnv.API_KEYS).toBe(productionApiKeys);
      const auth = loadAuthSettings(containerEnv);
      expect(auth.dev).toBe(false);
      expect(auth.config.apiKeys).toEqual(JSON.parse(productionApiKeys));
    });

    it('needs a metrics token from your environment, which Prometheus reads as a secret to scrape it', () => {
      expect(() => interpolated('api', { ...archiveDatabase, API_KEYS: productionApiKeys })).toThrow(/required variable METRICS_TOKEN is missing a value/);
      expect(loadAuthSettings(interpolated('api', { ...archiveDatabase, API_KEYS: productionApiKeys, METRICS_TOKEN: metricsToken })).metricsToken).toBe(metricsToken);
      expect((compose.secrets as Record<string, unknown>).metrics_token).toEqual({ environment: 'METRICS_TOKEN' });
      expect(service('prometheus').secrets).toEqual(['metrics_token']);
      const scrape = (parse(readFileSync(join(root, 'docker/prometheus/prometheus.yml'), 'utf8')).scrape_configs as Array<Record<string, any>>).find((j) => j.job_name === 'complaint-api')!;
      expect(scrape.authorization).toEqual({ type: 'Bearer', credentials_file: '/run/secrets/metrics_token' });
    });

    it('listens on PORT 3000, published as 3000', () => {
      expect(env('api').PORT).toBe('3000');
      expect(ports('api')).toContainEqual({ published: '3000', target: '3000' });
    });

    it('is health-checked on /healthz with node fetch (the slim image has no curl)', () => {
      const healthcheck = service('api').healthcheck;
      const test = isDict(healthcheck) ? healthcheck.test : undefined;
      const command = Array.isArray(test) ? test.map(String).join(' ') : String(test);
      expect(command).toMatch(/\bnode\b/);
      expect(command).toMatch(/fetch\(/);
      expect(command).toContain(`http://localhost:${env('api').PORT}/healthz`);
    });
  });

  describe('worker', () => {
    it('can be scaled: no published ports, no container_name, more than one replica', () => {
      const worker = service('worker');
      expect(worker.ports).toBeUndefined();
      expect(worker.container_name).toBeUndefined();
      const deploy = worker.deploy;
      expect(isDict(deploy) ? Number(deploy.replicas) : 0).toBeGreaterThanOrEqual(2);
    });

    it('runs the same image, built the same way, as the api', () => {
      expect(service('worker').image).toBeDefined();
      expect(service('worker').image).toEqual(service('api').image);
      expect(service('worker').build).toBeDefined();
      expect(service('worker').build).toEqual(service('api').build);
    });

    it("shares the api environment, apart from the HTTP port, the codec server's CORS origin, the credentials and its metrics addresses", () => {
      const { PORT: _port, CODEC_CORS_ORIGIN: _codecOrigin, ...apiEnv } = env('api');
      const shared = Object.fromEntries(Object.entries(apiEnv).filter(([key]) => !isCredential(key)));
      const { WORKER_SDK_METRICS_ADDRESS: _sdk, WORKER_METRICS_ADDRESS: _own, EFFECTS_BASE_URL: _effects, EFFECTS_CREDENTIALS: _effectsCredentials, ...workerEnv } = env('worker');
      expect(workerEnv).toEqual(shared);
    });

    it('serves both metrics endpoints on every interface of its container, on the ports it exposes', () => {
      const settings = loadSettings(interpolated('worker', { ...outsideSystems, ...archiveDatabase }));
      expect(settings.workerSdkMetrics).toMatchObject({ host: '0.0.0.0' });
      expect(settings.workerMetrics).toMatchObject({ host: '0.0.0.0' });
      const exposed = ((service('worker').expose ?? []) as unknown[]).map(String);
      expect(exposed).toEqual(expect.arrayContaining([String(settings.workerSdkMetrics!.port), String(settings.workerMetrics!.port)]));
    });

    it('gets no credentials (it authenticates no one), so it needs no API_KEYS to start', () => {
      expect(Object.keys(env('worker')).filter(isCredential)).toEqual([]);
      expect(() => interpolated('worker', { ...outsideSystems, ...archiveDatabase })).not.toThrow();
    });

    it('calls the outside systems for real: no start without their URL and credentials, which then build the ports', () => {
      expect(() => interpolated('worker', { ...archiveDatabase, EFFECTS_CREDENTIALS: outsideSystems.EFFECTS_CREDENTIALS })).toThrow(/required variable EFFECTS_BASE_URL is missing a value/);
      expect(() => interpolated('worker', { ...archiveDatabase, EFFECTS_BASE_URL: outsideSystems.EFFECTS_BASE_URL })).toThrow(/required variable EFFECTS_CREDENTIALS is missing a value/);
      const settings = loadSettings(interpolated('worker', { ...outsideSystems, ...archiveDatabase }));
      expect(settings).toMatchObject({ production: true, effectsBaseUrl: outsideSystems.EFFECTS_BASE_URL, webhookAllowPrivateAddresses: false });
      const { effectsBaseUrl, dataDir, effectsCredentials, webhookSubscribers, production } = settings;
      expect(() => createPortsFromConfig({ effectsBaseUrl, dataDir, effectsCredentials, webhookSubscribers, production })).not.toThrow();
    });
  });

  describe('temporal-ui', () => {
    it('talks to the temporal service and publishes 8080 on loopback only (it has no login of its own)', () => {
      expect(String(service('temporal-ui').image)).toMatch(/^temporalio\/ui:\d+\.\d+/);
      expect(env('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(ports('temporal-ui')).toEqual([{ host: '127.0.0.1', published: '8080', target: '8080' }]);
    });
  });

  describe('temporal-admin-tools', () => {
    const script = `${text('temporal-admin-tools', 'entrypoint')} ${text('temporal-admin-tools', 'command')}`;

    it('is a pinned admin-tools image talking to the temporal service', () => {
      expect(String(service('temporal-admin-tools').image)).toMatch(/^temporalio\/admin-tools:\d+\.\d+/);
      expect(env('temporal-admin-tools').TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(Object.keys(dependsOn('temporal-admin-tools'))).toContain(TEMPORAL);
    });

    it('fails the run when a registration fails, and waits for the server first', () => {
      expect(script).toMatch(/\bset -e/);
      const wait = script.search(/\buntil\b[^\n]*\btemporal\b/);
      const firstCreate = script.search(/search-attribute\s+create/);
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(firstCreate).toBeGreaterThan(wait);
    });

    it('registers exactly the workflows\' search attributes, with their types, in the app namespace', () => {
      expect(searchAttributeRegistrations.length).toBeGreaterThan(0);
      const registered = searchAttributeCreates(script);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(registered.map(({ name, type }) => ({ name, type })).sort(byName)).toEqual(
        searchAttributeRegistrations.map(({ name, type }) => ({ name, type })).sort(byName),
      );
      for (const registration of registered) {
        expect({ name: registration.name, namespace: registration.namespace }).toEqual({
          name: registration.name,
          namespace: env('api').TEMPORAL_NAMESPACE,
        });
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The stack shipped locked: nothing reachable that should not be, no password in the files

const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.expose.yml'] as const;
/** `${VAR:?message}`: Compose stops when VAR is unset or empty. */
const REQUIRED = /^\$\{(\w+):\?[^}]+\}$/;

/** Every variable a compose file requires (`${VAR:?…}`; `$${…}` is a literal for the shell). */
function requiredVariables(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/(?<!\$)\$\{(\w+):\?/g)].map((m) => m[1] ?? '');
}

/** .env.example's variables and their values. */
function envExample(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(root, '.env.example'), 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) out[match[1] ?? ''] = match[2] ?? '';
  }
  return out;
}

describe('the stack shipped locked', () => {
  const opted = loadCompose('docker-compose.expose.yml');
  const optedServices = (isDict(opted.services) ? opted.services : {}) as Record<string, Dict>;
  const initDir = join(root, 'docker', 'postgres-init');

  it('publishes neither the Temporal frontend nor Prometheus by default', () => {
    expect(ports(TEMPORAL)).toEqual([]);
    expect(ports('prometheus')).toEqual([]);
    const targets = Object.keys(services).flatMap((name) => ports(name).map((p) => p.target));
    expect(targets).not.toContain('7233');
    expect(targets).not.toContain('9090');
  });

  it('publishes on every interface only what checks its callers: the api (credentials) and Grafana (its admin password); the UI on loopback', () => {
    const published = Object.keys(services).flatMap((name) => ports(name).map((p) => ({ name, host: p.host ?? '*', published: p.published })));
    expect(published.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'api', host: '*', published: '3000' },
      { name: 'grafana', host: '*', published: '3001' },
      { name: 'temporal-ui', host: '127.0.0.1', published: '8080' },
    ]);
  });

  it('publishes the frontend and Prometheus with the opt-in file, on 127.0.0.1 only, and nothing else', () => {
    expect(Object.keys(optedServices).sort()).toEqual(['prometheus', TEMPORAL]);
    expect(portsOf(optedServices[TEMPORAL] ?? {})).toEqual([{ host: '127.0.0.1', published: '7233', target: '7233' }]);
    expect(portsOf(optedServices.prometheus ?? {})).toEqual([{ host: '127.0.0.1', published: '9090', target: '9090' }]);
    // An override file only adds ports here: no image, environment or command of its own.
    for (const svc of Object.values(optedServices)) expect(Object.keys(svc)).toEqual(['ports']);
  });

  it("runs the Web UI read-only, decoding payloads through the api's codec endpoint with the user's token", () => {
    const ui = env('temporal-ui');
    const apiPort = ports('api')[0]?.published;
    const uiPort = ports('temporal-ui')[0]?.published;
    expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:${apiPort}/codec`);
    expect(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN).toBe('true');
    // The codec server answers the UI's origin (the browser's), and no other.
    expect(env('api').CODEC_CORS_ORIGIN).toBe(`http://localhost:${uiPort}`);
  });

  it.each(COMPOSE_FILES)('%s has no literal password: each is required from your environment', (file) => {
    const doc = loadCompose(file);
    const all = Object.entries((isDict(doc.services) ? doc.services : {}) as Record<string, Dict>);
    const secrets: Array<{ service: string; key: string; value: string }> = [];
    for (const [name, svc] of all) {
      const raw = isDict(svc.environment) ? svc.environment : {};
      for (const [key, value] of Object.entries(raw)) {
        const text = value === null ? '' : String(value);
        if (/PASSWORD|PWD|SECRET|CREDENTIALS|API_KEYS|(?<!ACCESS)_TOKEN$/.test(key)) secrets.push({ service: name, key, value: text });
        // A URL's password too (DATABASE_URL): only ever a required variable.
        for (const m of text.matchAll(/:\/\/[^:/@\s]+:(\$\{[^}]*\}|[^@\s]*)@/g)) secrets.push({ service: name, key: `${key} (URL password)`, value: m[1] ?? '' });
      }
    }
    for (const secret of secrets) expect({ ...secret, required: REQUIRED.test(secret.value) }).toEqual({ ...secret, required: true });
    if (file === 'docker-compose.yml') {
      expect(secrets.map((x) => `${x.service}.${x.key}`)).toEqual(
        expect.arrayContaining([
          'postgresql.POSTGRES_PASSWORD',
          'postgresql.TEMPORAL_DB_PASSWORD',
          'postgresql.ARCHIVE_DB_PASSWORD',
          'temporal.POSTGRES_PWD',
          'api.DATABASE_URL (URL password)',
          'worker.DATABASE_URL (URL password)',
          'grafana.GF_SECURITY_ADMIN_PASSWORD',
        ]),
      );
      expect(() => interpolated('grafana', {})).toThrow(/required variable GRAFANA_ADMIN_PASSWORD is missing a value/);
      expect(() => interpolated('postgresql', {})).toThrow(/required variable POSTGRES_PASSWORD is missing a value/);
    }
    expect(readFileSync(join(root, file), 'utf8')).not.toMatch(/admin\s*\/\s*admin|temporal:temporal@/);
  });

  it('gives each component its own database role, not the superuser, which no application uses', () => {
    const temporalRole = env(TEMPORAL).POSTGRES_USER;
    const archiveRole = new URL(interpolated('api', { ...archiveDatabase, API_KEYS: productionApiKeys, METRICS_TOKEN: metricsToken }).DATABASE_URL ?? '').username;
    expect(env('postgresql').POSTGRES_USER).toBe('postgres');
    expect([temporalRole, archiveRole]).not.toContain('postgres');
    expect(temporalRole).not.toBe(archiveRole);
    // The superuser's password reaches the postgresql container only.
    const superuserPassword = env('postgresql').POSTGRES_PASSWORD ?? '';
    for (const name of Object.keys(services).filter((n) => n !== 'postgresql')) {
      expect({ name, leaks: Object.values(env(name)).some((v) => v.includes('${POSTGRES_PASSWORD')) }).toEqual({ name, leaks: false });
    }
    expect(superuserPassword).toMatch(REQUIRED);

    const sql = initSql(initDir);
    const roles = [...sql.matchAll(/CREATE\s+(?:ROLE|USER)\s+"?(\w+)"?([^;]*);/gi)].map((m) => ({ role: m[1], options: (m[2] ?? '').toUpperCase() }));
    expect(roles.map((r) => r.role).sort()).toEqual([archiveRole, temporalRole].sort());
    for (const { role, options } of roles) {
      expect({ role, options: /\bNOSUPERUSER\b/.test(options) && /\bNOCREATEDB\b/.test(options) && /\bNOCREATEROLE\b/.test(options) && /\bLOGIN\b/.test(options) }).toEqual({ role, options: true });
    }
    // No role is made a superuser, not even later: SUPERUSER appears only as NOSUPERUSER.
    expect(sql.toUpperCase().match(/(?<!NO)SUPERUSER\b/g)).toBeNull();
    expect(sql).not.toMatch(/ALTER\s+(ROLE|USER)\b/i);
    expect(sql).not.toMatch(/GRANT\s+(pg_\w+|postgres)\b/i);
  });

  it("creates each component's databases owned by its role, with its password from the postgresql container's environment", () => {
    const sql = initSql(initDir);
    const owners = Object.fromEntries([...sql.matchAll(/CREATE\s+DATABASE\s+"?(\w+)"?\s+OWNER\s+"?(\w+)"?\s*;/gi)].map((m) => [m[1], m[2]]));
    expect(owners).toEqual({
      [env(TEMPORAL).DBNAME ?? '']: env(TEMPORAL).POSTGRES_USER,
      [env(TEMPORAL).VISIBILITY_DBNAME ?? '']: env(TEMPORAL).POSTGRES_USER,
      complaints: 'complaint_archive',
    });
    const script = readdirSync(initDir).filter((f) => f.endsWith('.sh')).map((f) => readFileSync(join(initDir, f), 'utf8')).join('\n');
    for (const variable of ['TEMPORAL_DB_PASSWORD', 'ARCHIVE_DB_PASSWORD']) {
      expect(script).toContain(`"$${variable}"`);
      expect(env('postgresql')[variable]).toMatch(new RegExp(`^\\$\\{${variable}:\\?`));
    }
    expect(env(TEMPORAL).POSTGRES_PWD).toBe(env('postgresql').TEMPORAL_DB_PASSWORD);
    // Passwords reach SQL as psql variables (:'name'), quoted by psql, never pasted by the shell.
    expect(script).toMatch(/<<\s*'SQL'/);
    expect(script).toMatch(/PASSWORD\s+:'\w+'/);
    // The entrypoint runs an executable script in its own shell (a plain one would be sourced).
    for (const f of readdirSync(initDir).filter((x) => x.endsWith('.sh'))) expect(statSync(join(initDir, f)).mode & 0o111).not.toBe(0);
  });

  it('.env.example names every variable the compose files require, each left empty so no stack starts on shared secrets', () => {
    const required = [...new Set(COMPOSE_FILES.flatMap(requiredVariables))].sort();
    expect(required).toEqual(expect.arrayContaining(['API_KEYS', 'METRICS_TOKEN', 'EFFECTS_BASE_URL', 'EFFECTS_CREDENTIALS', 'POSTGRES_PASSWORD', 'GRAFANA_ADMIN_PASSWORD']));
    const example = envExample();
    expect(Object.keys(example).sort()).toEqual(required);
    expect(Object.entries(example).filter(([, value]) => value !== '')).toEqual([]);
    for (const name of ['postgresql', TEMPORAL, 'api', 'worker', 'grafana']) expect(() => interpolated(name, example)).toThrow(/required variable \w+ is missing a value/);
  });
});

// ---------------------------------------------------------------------------------------------
// Prometheus and Grafana

/** The host file or folder mounted at `target` in `name`'s container (read-only), resolved from the repository root. */
function mountedAt(name: string, target: string): string {
  const volumes = ((service(name).volumes ?? []) as unknown[]).map(String);
  const mount = volumes.find((v) => v.split(':')[1] === target);
  if (!mount) throw new Error(`${name} mounts nothing at ${target}`);
  const [source, , mode] = mount.split(':');
  expect({ mount, readOnly: mode === 'ro' }).toEqual({ mount, readOnly: true });
  return resolve(root, source!);
}

function loadYaml(path: string): Dict {
  const doc: unknown = parse(readFileSync(path, 'utf8'));
  if (!isDict(doc)) throw new Error(`${path} is not a mapping`);
  return doc;
}

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr?: string; datasource?: { uid?: string } }>;
}

describe('prometheus', () => {
  const configPath = () => {
    const flag = ((service('prometheus').command ?? []) as unknown[]).map(String).find((a) => a.startsWith('--config.file='));
    return mountedAt('prometheus', flag?.slice('--config.file='.length) ?? '/etc/prometheus/prometheus.yml');
  };
  const scrapeConfigs = () => (loadYaml(configPath()).scrape_configs ?? []) as Dict[];
  const job = (name: string) => {
    const found = scrapeConfigs().find((c) => c.job_name === name);
    if (!found) throw new Error(`no scrape job ${name}`);
    return found;
  };

  it('is a pinned image with its configuration from docker/prometheus and its data on a declared volume', () => {
    expect(String(service('prometheus').image)).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(configPath()).toBe(join(root, 'docker', 'prometheus', 'prometheus.yml'));
    const data = ((service('prometheus').volumes ?? []) as unknown[]).map(String).find((v) => v.split(':')[1] === '/prometheus')?.split(':')[0];
    expect(isDict(compose.volumes) && data !== undefined && data in compose.volumes).toBe(true);
  });

  it("scrapes the api's /metrics at its service name and PORT", () => {
    const targets = ((job('complaint-api').static_configs ?? []) as Dict[]).flatMap((c) => (c.targets ?? []) as string[]);
    expect(targets).toEqual([`api:${env('api').PORT}`]);
    expect(job('complaint-api').metrics_path ?? '/metrics').toBe('/metrics');
  });

  it("scrapes every worker replica (DNS service discovery on the service name) at both of the worker's metrics ports", () => {
    const settings = loadSettings(interpolated('worker', { ...outsideSystems, ...archiveDatabase }));
    for (const [name, port] of [['complaint-worker', settings.workerMetrics!.port], ['temporal-sdk', settings.workerSdkMetrics!.port]] as const) {
      expect(job(name).static_configs).toBeUndefined();
      expect(job(name).dns_sd_configs).toEqual([expect.objectContaining({ names: ['worker'], type: 'A', port })]);
    }
  });

  it('starts after what it scrapes', () => {
    expect(Object.keys(dependsOn('prometheus')).sort()).toEqual(['api', 'worker']);
  });
});

describe('grafana', () => {
  const provisioning = () => mountedAt('grafana', '/etc/grafana/provisioning');
  const datasources = () => (loadYaml(join(provisioning(), 'datasources', 'prometheus.yml')).datasources ?? []) as Dict[];
  const providers = () => (loadYaml(join(provisioning(), 'dashboards', 'complaints.yml')).providers ?? []) as Dict[];
  const dashboard = () => {
    const path = (providers()[0]?.options as Dict | undefined)?.path as string;
    const folder = mountedAt('grafana', path);
    return JSON.parse(readFileSync(join(folder, 'complaints.json'), 'utf8')) as { uid: string; panels: Panel[] };
  };
  const queries = () => dashboard().panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));

  it('is a pinned image, published on 3001 (the api has 3000)', () => {
    expect(String(service('grafana').image)).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(ports('grafana')).toContainEqual({ published: '3001', target: '3000' });
    expect(dependsOn('grafana')).toMatchObject({ prometheus: 'service_started' });
  });

  it('provisions the Prometheus service as its default data source', () => {
    const prometheusPort = exposed('prometheus')[0];
    expect(datasources()).toEqual([expect.objectContaining({ type: 'prometheus', url: `http://prometheus:${prometheusPort}`, isDefault: true, uid: 'prometheus' })]);
  });

  it('provisions the dashboard from the folder mounted where the provider looks, as the home dashboard', () => {
    expect(providers()).toEqual([expect.objectContaining({ type: 'file' })]);
    expect(dashboard().uid).toBe('complaints');
    const home = env('grafana').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(existsSync(join(mountedAt('grafana', home.slice(0, home.lastIndexOf('/'))), home.slice(home.lastIndexOf('/') + 1)))).toBe(true);
  });

  it('queries the provisioned data source in every panel', () => {
    const uid = datasources()[0]?.uid;
    const panels = dashboard().panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const p of panels) {
      expect({ panel: p.title, uid: p.datasource?.uid, targets: (p.targets ?? []).length > 0 }).toEqual({ panel: p.title, uid, targets: true });
      for (const t of p.targets ?? []) expect({ panel: p.title, uid: t.datasource?.uid, expr: (t.expr ?? '').length > 0 }).toEqual({ panel: p.title, uid, expr: true });
    }
  });

  it('has the panels operations asked for: open by stage, warnings, breaches, escalations by level, promises, failing effects, API and SDK', () => {
    const all = queries().join('\n');
    for (const wanted of [
      /complaints_open\b/,
      /complaints_open_by_escalation_level/,
      /complaints_open_sla_breached/,
      /kind=~"sla-warning\|sla-breached"/,
      /kind="escalated"/,
      /complaint_promises_total\{status=~"kept\|missed"\}/,
      /complaint_activity_failures_total/,
      /http_requests_total/,
      /http_request_duration_seconds_bucket/,
      /temporal_workflow_task_schedule_to_start_latency_seconds_bucket/,
      /temporal_sticky_cache_size/,
    ]) {
      expect(all).toMatch(wanted);
    }
  });

  it("queries only metrics the api and the worker define (the SDK's are checked against a real scrape in test/integration/metrics.test.ts)", async () => {
    const untouchable = new Proxy({} as Client, { get: () => { throw new Error('no Temporal here'); } });
    const defined = new Map<string, string>();
    for (const registry of [createWorkerMetrics().registry, apiMetrics({ client: untouchable, policy: shippedPolicy }).registry]) {
      for (const m of await registry.getMetricsAsJSON()) defined.set(m.name, String(m.type));
    }
    const used = new Set(queries().flatMap((q) => q.match(/\b(?:complaints?|http)_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(8);
    for (const name of used) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      const ok = defined.has(name) || (base !== name && defined.get(base) === 'histogram');
      expect({ name, defined: ok }).toEqual({ name, defined: true });
    }
  });
});


// ---------------------------------------------------------------------------------------------
// Dockerfile helpers

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

function parseDockerfile(source: string): { args: Record<string, string>; stages: Stage[] } {
  const lines: string[] = [];
  let pending = '';
  for (const raw of source.split(/\r?\n/)) {
    if (/^\s*#/.test(raw)) continue; // comments, also inside continued instructions
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) lines.push(full);
  }
  if (pending.trim()) lines.push(pending.trim());

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const match = /^(\w+)\s+(.*)$/s.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = match[2] ?? '';
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ from: from?.[1] ?? '', name: from?.[2], instructions: [] });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const [key, value] = args.split('=');
        if (key) globalArgs[key.trim()] = (value ?? '').trim();
      }
    } else {
      stages[stages.length - 1]?.instructions.push({ keyword, args });
    }
  }
  return { args: globalArgs, stages };
}

function runs(stage: Stage): string[] {
  return stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

describe('Dockerfile', () => {
  const path = join(root, 'Dockerfile');

  it('exists', () => {
    expect(existsSync(path)).toBe(true);
  });

  const { args, stages } = parseDockerfile(existsSync(path) ? readFileSync(path, 'utf8') : '');
  const runtime = stages[stages.length - 1];
  const stageByName = (name: string): Stage | undefined => stages.find((s) => s.name === name);

  /** Follows `FROM <stage>` links and ARG defaults down to the external base image. */
  function baseImage(stage: Stage): string {
    let from = stage.from;
    for (let hops = 0; hops < stages.length + 1; hops++) {
      from = from.replace(/\$\{?(\w+)\}?/g, (_, key: string) => args[key] ?? '');
      const parent = stageByName(from);
      if (!parent) return from;
      from = parent.from;
    }
    throw new Error('FROM chain loops');
  }

  function inherited(stage: Stage): Instruction[] {
    const parent = stageByName(stage.from);
    return [...(parent && parent !== stage ? inherited(parent) : []), ...stage.instructions];
  }

  it('is multi-stage on a glibc Node 20 base (the Temporal core bridge ships gnu binaries only)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime).toBeDefined();
    const base = baseImage(runtime as Stage);
    expect(base).toMatch(/^node:20[\w.-]*$/);
    expect(base).not.toMatch(/alpine/);
  });

  it('builds in an earlier stage: npm install, then npm run build, then the workflow bundle', () => {
    const builder = stages.slice(0, -1).find((s) => runs(s).some((r) => /\bnpm run build\b/.test(r)));
    expect(builder).toBeDefined();
    const script = runs(builder as Stage).join(' && ');
    const ci = script.search(/\bnpm install\b/);
    const build = script.search(/\bnpm run build\b/);
    const bundle = script.search(/\bnode dist\/scripts\/bundle-workflows\.js\b/);
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(ci);
    expect(bundle).toBeGreaterThan(build);
  });

  it('installs only production dependencies in the runtime stage and copies the built output', () => {
    const stage = runtime as Stage;
    expect(runs(stage).join(' ')).toMatch(/\bnpm install\b[^&;]*--omit=dev/);
    expect(runs(stage).join(' ')).not.toMatch(/\bnpm run build\b/);
    const copies = stage.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.some((c) => /--from=\S+/.test(c) && /\bdist\b/.test(c))).toBe(true);
    expect(copies.some((c) => /\bconfig\b/.test(c))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const users = inherited(runtime as Stage).filter((i) => i.keyword === 'USER');
    const user = users[users.length - 1]?.args.split(':')[0]?.trim();
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('starts the api by default and never tries to install Temporal binaries', () => {
    const stage = runtime as Stage;
    const cmd = stage.instructions.filter((i) => i.keyword === 'CMD').pop()?.args ?? '';
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/api/main.js']);
    const envs = inherited(stage)
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(envs).toMatch(/\bSKIP_TEMPORAL_INSTALL=1\b/);
  });
});

describe('.dockerignore', () => {
  it('keeps host build output, dependencies and local state out of the build context', () => {
    const entries = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim().replace(/^\/+|\/+$/g, ''))
      .filter((l) => l && !l.startsWith('#'));
    expect(entries).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.tools', '.data', '.git', 'coverage', 'test-artifacts']),
    );
  });
});
