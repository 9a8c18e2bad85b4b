/**
 * Static checks of docker-compose.yml: its wiring, and how the stack ships locked (with
 * docker-compose.expose.yml, .env.example and PostgreSQL's init script). No Docker engine is
 * needed; the files are parsed and cross-checked against each other, against the settings the
 * containers start with and against the workflows' search attribute list. Prometheus and Grafana:
 * monitoring-stack.test.ts; the image: dockerfile.test.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadAuthSettings, loadSettings } from '../../config/settings';
import { createPortsFromConfig } from '../../activities/adapters';
import { searchAttributeRegistrations } from '../../contract/search-attributes';
import {
  APP_SERVICES, archiveDatabase, argv, compose, dependsOn, env, exposed, initSql, interpolated, isCredential, isDict,
  loadCompose, metricsToken, outsideSystems, ports, portsOf, productionApiKeys, root, searchAttributeCreates, service,
  services, TEMPORAL, text, type Dict,
} from '../support/compose';

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
      // Nor without the payload key ring: every payload it hands Temporal is encrypted.
      expect(() => interpolated('worker', { ...outsideSystems, ...archiveDatabase, PAYLOAD_KEYS: undefined })).toThrow(/required variable PAYLOAD_KEYS is missing a value/);
      const settings = loadSettings(interpolated('worker', { ...outsideSystems, ...archiveDatabase }));
      expect(settings.payloadKeyRing.activeKeyId).toBe('k-2026');
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
