/** Process settings from the environment, and loading the policy file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { DEV_CUSTOMER_REF_KEY, DEV_JWT_SECRET, devApiKeys } from '../../config/credentials';
import { loadAssessment, loadAuthSettings, loadCalendar, loadPolicy, loadSettings, projectRoot } from '../../config/settings';
import { errorMessage } from '../support/errors';
import { DEV_SIGNING_KEY } from '../../api/auth/command-signer';
import { DEV_PAYLOAD_KEY, DEV_PAYLOAD_KEY_ID } from '../../config/payload-codec';

/** A payload key ring of production's own (every production process needs one). */
const productionKeys = { PAYLOAD_KEYS: JSON.stringify({ '2026-12': randomBytes(32).toString('base64') }) };

describe('loadSettings', () => {
  it('has defaults for everything', () => {
    const s = loadSettings({});
    expect(s.port).toBe(3000);
    expect(s.host).toBe('127.0.0.1');
    expect(isAbsolute(s.dataDir)).toBe(true);
    expect(s.dataDir.endsWith(`${sep}.data`)).toBe(true);
    expect(isAbsolute(s.policyPath)).toBe(true);
    expect(s.policyPath.endsWith(join('config', 'policy.json'))).toBe(true);
    expect(s.effectsBaseUrl).toBeUndefined();
    expect(s.workflowBundlePath).toBeUndefined();
    expect(s.production).toBe(false);
  });

  it('takes values from the environment', () => {
    const s = loadSettings({ PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/var/lib/complaints', EFFECTS_BASE_URL: 'http://effects:9000', NODE_ENV: 'production', ...productionKeys });
    expect(s.port).toBe(8080);
    expect(s.host).toBe('0.0.0.0');
    expect(s.dataDir).toBe('/var/lib/complaints');
    expect(s.effectsBaseUrl).toBe('http://effects:9000');
    expect(s.production).toBe(true);
  });

  it('refuses a PORT that is not a number, naming PORT', () => {
    expect(errorMessage(() => loadSettings({ PORT: 'abc' }))).toMatch(/\bPORT\b/);
  });

  it('refuses a PORT out of range', () => {
    expect(errorMessage(() => loadSettings({ PORT: '70000' }))).toMatch(/\bPORT\b/);
  });

  it('the calendar is a directory, warned about 60 days before it ends unless configured', () => {
    const s = loadSettings({});
    expect(s.calendarPath.endsWith(join('config', 'calendars', 'cn'))).toBe(true);
    expect(s.calendarWarnDays).toBe(60);
    expect(loadSettings({ CALENDAR_WARN_DAYS: '30' }).calendarWarnDays).toBe(30);
    expect(errorMessage(() => loadSettings({ CALENDAR_WARN_DAYS: '-1' }))).toContain('CALENDAR_WARN_DAYS');
  });

  it('loads the shipped calendar directory, and a missing path names it', () => {
    expect(loadCalendar(loadSettings({}).calendarPath).years).toContain(2026);
    expect(errorMessage(() => loadCalendar('/nowhere/calendar'))).toMatch(/Cannot read the business calendar \/nowhere\/calendar/);
  });

  it('refuses an EFFECTS_BASE_URL that is not a URL, naming it', () => {
    const message = errorMessage(() => loadSettings({ EFFECTS_BASE_URL: 'not a url' }));
    expect(message).toContain('EFFECTS_BASE_URL');
    expect(message).not.toMatch(/\bPORT\b/);
  });
  it('reads the credentials of the outside systems, naming a bad one without quoting it', () => {
    const effectsCredentials = { payments: { hmacSecret: 'p'.repeat(40), keyId: 'k1' }, default: { bearer: 'b'.repeat(24) } };
    expect(loadSettings({ EFFECTS_CREDENTIALS: JSON.stringify(effectsCredentials) }).effectsCredentials).toEqual(effectsCredentials);
    const message = errorMessage(() => loadSettings({ EFFECTS_CREDENTIALS: JSON.stringify({ payments: { bearer: 'short-secret' } }) }));
    expect(message).toMatch(/EFFECTS_CREDENTIALS/);
    expect(message).not.toContain('short-secret');
  });

  it('lets webhooks reach private addresses outside production only, unless told otherwise', () => {
    expect(loadSettings({}).webhookAllowPrivateAddresses).toBe(true);
    expect(loadSettings({ NODE_ENV: 'production', ...productionKeys }).webhookAllowPrivateAddresses).toBe(false);
    expect(loadSettings({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'off' }).webhookAllowPrivateAddresses).toBe(false);
    expect(loadSettings({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'on', ...productionKeys }).webhookAllowPrivateAddresses).toBe(true);
  });

  it('encrypts payloads with the development ring outside production, and only with its own in production', () => {
    expect(loadSettings({}).payloadKeyRing).toEqual({ activeKeyId: DEV_PAYLOAD_KEY_ID, keys: { [DEV_PAYLOAD_KEY_ID]: DEV_PAYLOAD_KEY } });
    expect(errorMessage(() => loadSettings({ NODE_ENV: 'production' }))).toMatch(/PAYLOAD_KEYS: production encrypts every payload/);
    const dev = JSON.stringify({ old: Buffer.from(DEV_PAYLOAD_KEY).toString('base64') });
    expect(errorMessage(() => loadSettings({ NODE_ENV: 'production', PAYLOAD_KEYS: dev }))).toMatch(/holds the development key/);
    const [k1, k2] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const two = JSON.stringify({ k1, k2 });
    expect(errorMessage(() => loadSettings({ PAYLOAD_KEYS: two }))).toMatch(/PAYLOAD_ACTIVE_KEY: the ring holds several keys/);
    expect(errorMessage(() => loadSettings({ PAYLOAD_KEYS: two, PAYLOAD_ACTIVE_KEY: 'k3' }))).toMatch(/k3 is not one of PAYLOAD_KEYS \(k1, k2\)/);
    const ring = loadSettings({ PAYLOAD_KEYS: two, PAYLOAD_ACTIVE_KEY: 'k2' }).payloadKeyRing;
    expect(ring.activeKeyId).toBe('k2');
    expect(Buffer.from(ring.keys.k1!).toString('base64')).toBe(k1);
    const short = errorMessage(() => loadSettings({ PAYLOAD_KEYS: JSON.stringify({ k1: Buffer.from('sixteen bytes!!!').toString('base64') }) }));
    expect(short).toMatch(/PAYLOAD_KEYS/);
    expect(short).not.toContain('sixteen');
  });
});

describe('loadAuthSettings', () => {
  const strongKey = 'k'.repeat(40);

  it('outside production, asked for, on a loopback address: the development credentials, flagged as such', () => {
    const auth = loadAuthSettings({ AUTH_DEV_CREDENTIALS: 'on' });
    expect(auth.dev).toBe(true);
    expect(auth.config.apiKeys.map((k) => k.role).sort()).toEqual(
      ['agent', 'agent', 'auditor', 'department', 'department', 'department', 'department', 'engineer', 'general-manager', 'manager', 'privacy-officer', 'service', 'supervisor'],
    );
    expect(auth.config.jwt).toEqual({ secret: DEV_JWT_SECRET });
  });

  it('serves the development credentials only when asked for, and only on a loopback address', () => {
    expect(errorMessage(() => loadAuthSettings({}))).toMatch(/configure credentials, or set AUTH_DEV_CREDENTIALS=on/);
    for (const HOST of ['127.0.0.1', '127.8.0.1', '::1', 'localhost']) expect(loadAuthSettings({ AUTH_DEV_CREDENTIALS: 'on', HOST }).dev).toBe(true);
    for (const HOST of ['0.0.0.0', '::', '10.0.0.5', 'api.example.cn', '128.0.0.1']) {
      expect(errorMessage(() => loadAuthSettings({ AUTH_DEV_CREDENTIALS: 'on', HOST }))).toMatch(new RegExp(`HOST: the development credentials are served on a loopback address only .* not on ${HOST.replace(/\./g, '\\.')}`));
    }
    const keys = JSON.stringify([{ key: strongKey, id: 'crm', role: 'service' }]);
    expect(errorMessage(() => loadAuthSettings({ NODE_ENV: 'production', API_KEYS: keys, METRICS_TOKEN: 'm'.repeat(32), AUTH_DEV_CREDENTIALS: 'on' }))).toMatch(/AUTH_DEV_CREDENTIALS: the development credentials are never served in production/);
  });

  it('production refuses to start without configured credentials, naming the variables', () => {
    const message = errorMessage(() => loadAuthSettings({ NODE_ENV: 'production' }));
    expect(message).toMatch(/API_KEYS, AUTH_JWT_SECRET or AUTH_JWKS_URL: production needs credentials/);
  });

  it('production refuses the development key, the development secret, and short keys', () => {
    const devKey = devApiKeys[0]!;
    expect(errorMessage(() => loadAuthSettings({ NODE_ENV: 'production', API_KEYS: JSON.stringify([devKey]) }))).toMatch(/API_KEYS\.0\.key: a development key/);
    expect(errorMessage(() => loadAuthSettings({ NODE_ENV: 'production', AUTH_JWT_SECRET: DEV_JWT_SECRET }))).toMatch(/AUTH_JWT_SECRET: the development secret/);
    expect(errorMessage(() => loadAuthSettings({ NODE_ENV: 'production', API_KEYS: JSON.stringify([{ key: 'sixteen-chars-ok', id: 'crm', role: 'service' }]) }))).toMatch(
      /API_KEYS\.0\.key: use at least 32 characters in production/,
    );
  });

  it('production starts with its own keys (plain or as SHA-256) and JWT settings', () => {
    const sha256 = createHash('sha256').update('another-key-'.padEnd(40, 'x')).digest('hex');
    const auth = loadAuthSettings({
      NODE_ENV: 'production',
      API_KEYS: JSON.stringify([{ key: strongKey, id: 'crm', role: 'service' }, { sha256, id: 'billing-desk', role: 'department', department: 'billing' }]),
      AUTH_JWKS_URL: 'https://idp.example.cn/.well-known/jwks.json',
      AUTH_JWT_ISSUER: 'https://idp.example.cn/',
      AUTH_JWT_AUDIENCE: 'complaints',
      METRICS_TOKEN: 'metrics-scrape-token-'.padEnd(40, 'm'),
      CUSTOMER_REF_KEY: 'customer-reference-key-'.padEnd(40, 'c'),
      COMMAND_SIGNING_KEYS: JSON.stringify({ s1: randomBytes(32).toString('base64') }),
    });
    expect(auth.dev).toBe(false);
    expect(auth.customerRefKey).toBe('customer-reference-key-'.padEnd(40, 'c'));
    expect(auth.metricsToken).toBe('metrics-scrape-token-'.padEnd(40, 'm'));
    expect(auth.config.apiKeys).toHaveLength(2);
    expect(auth.config.jwt).toEqual({ jwksUrl: 'https://idp.example.cn/.well-known/jwks.json', issuer: 'https://idp.example.cn/', audience: 'complaints', maxTokenAgeSeconds: 8 * 3600 });
  });

  it('production checks every token: iss and aud required, the JWKS over https, a cap on token age', () => {
    const base = { NODE_ENV: 'production', METRICS_TOKEN: 'm'.repeat(32), CUSTOMER_REF_KEY: 'c'.repeat(32), COMMAND_SIGNING_KEYS: JSON.stringify({ s1: randomBytes(32).toString('base64') }) };
    const message = errorMessage(() => loadAuthSettings({ ...base, AUTH_JWKS_URL: 'http://idp.example.cn/jwks.json' }));
    expect(message).toMatch(/AUTH_JWT_ISSUER: production checks the `iss`/);
    expect(message).toMatch(/AUTH_JWT_AUDIENCE: production checks the `aud`/);
    expect(message).toMatch(/AUTH_JWKS_URL: production fetches the identity provider's keys over https only/);
    const jwt = { ...base, AUTH_JWT_SECRETS: JSON.stringify({ '2026-12': 's'.repeat(40) }), AUTH_JWT_ISSUER: 'https://idp/', AUTH_JWT_AUDIENCE: 'complaints' };
    expect(loadAuthSettings(jwt).config.jwt).toMatchObject({ secrets: { '2026-12': 's'.repeat(40) }, maxTokenAgeSeconds: 8 * 3600 });
    expect(loadAuthSettings({ ...jwt, AUTH_JWT_MAX_TOKEN_AGE_SECONDS: '900' }).config.jwt?.maxTokenAgeSeconds).toBe(900);
    expect(errorMessage(() => loadAuthSettings({ ...jwt, AUTH_JWT_SECRETS: JSON.stringify({ old: 'short' }) }))).toMatch(/AUTH_JWT_SECRETS\.old: use at least 32 characters/);
  });

  it('never quotes a setting it cannot parse: it may be a secret', () => {
    const secretish = 'sk_live_4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';
    const message = errorMessage(() => loadAuthSettings({ AUTH_JWT_SECRETS: `{${secretish}` }));
    expect(message).toMatch(/AUTH_JWT_SECRETS: not JSON/);
    expect(message).not.toContain(secretish.slice(0, 8));
    expect(errorMessage(() => loadAuthSettings({ API_KEYS: secretish }))).not.toContain(secretish.slice(0, 8));
  });

  it('production refuses to serve /metrics openly: METRICS_TOKEN is required, and long', () => {
    const keys = JSON.stringify([{ key: strongKey, id: 'crm', role: 'service' }]);
    expect(errorMessage(() => loadAuthSettings({ NODE_ENV: 'production', API_KEYS: keys }))).toMatch(/METRICS_TOKEN: production needs the bearer token/);
    expect(errorMessage(() => loadAuthSettings({ NODE_ENV: 'production', API_KEYS: keys, METRICS_TOKEN: 'short' }))).toMatch(/METRICS_TOKEN: use at least 32 characters/);
    expect(loadAuthSettings({ API_KEYS: keys }).metricsToken).toBeUndefined(); // outside production: open unless set
  });

  it('refuses, in production, a development key given by its digest', () => {
    const sha256 = createHash('sha256').update(devApiKeys[1]!.key).digest('hex');
    const message = errorMessage(() => loadAuthSettings({ NODE_ENV: 'production', API_KEYS: JSON.stringify([{ sha256, id: 'x', role: 'agent' }]) }));
    expect(message).toMatch(/API_KEYS\.0\.sha256: the digest of a development key/);
  });

  it('refuses an issuer or audience check with nothing to verify tokens against', () => {
    expect(errorMessage(() => loadAuthSettings({ AUTH_JWT_ISSUER: 'https://idp/' }))).toMatch(/AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE: set AUTH_JWT_SECRET or AUTH_JWKS_URL/);
  });

  it('treats an empty variable as unset (as Compose passes ${X:-})', () => {
    expect(loadAuthSettings({ API_KEYS: '', AUTH_JWT_SECRET: '', AUTH_JWKS_URL: '', AUTH_JWT_ISSUER: '', AUTH_DEV_CREDENTIALS: 'on' }).dev).toBe(true);
  });

  it('is none of the worker\'s business: loadSettings ignores the credential variables', () => {
    expect(loadSettings({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'short', API_KEYS: 'not json', ...productionKeys }).production).toBe(true);
  });

  it('configured credentials replace the development ones outside production too', () => {
    const auth = loadAuthSettings({ AUTH_JWT_SECRET: 's'.repeat(32) });
    expect(auth).toMatchObject({ dev: false, config: { apiKeys: [], jwt: { secret: 's'.repeat(32) } } });
  });

  it('signs commands with the development key outside production, and only with its own in production', () => {
    expect(loadAuthSettings({ AUTH_JWT_SECRET: 's'.repeat(32) }).signingKeys).toEqual([DEV_SIGNING_KEY]);
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 's'.repeat(32), AUTH_JWT_ISSUER: 'https://idp/', AUTH_JWT_AUDIENCE: 'complaints', METRICS_TOKEN: 'm'.repeat(32), CUSTOMER_REF_KEY: 'c'.repeat(32) };
    expect(errorMessage(() => loadAuthSettings(production))).toMatch(/COMMAND_SIGNING_KEYS: production proves every command/);
    const dev = JSON.stringify({ d: Buffer.from(DEV_SIGNING_KEY.seed).toString('base64') });
    expect(errorMessage(() => loadAuthSettings({ ...production, COMMAND_SIGNING_KEYS: dev }))).toMatch(/holds the development key/);
    const seed = randomBytes(32);
    const short = errorMessage(() => loadAuthSettings({ ...production, COMMAND_SIGNING_KEYS: JSON.stringify({ s1: seed.subarray(0, 16).toString('base64') }) }));
    expect(short).toMatch(/COMMAND_SIGNING_KEYS/);
    expect(short).not.toContain(seed.subarray(0, 16).toString('base64'));
    expect(loadAuthSettings({ ...production, COMMAND_SIGNING_KEYS: JSON.stringify({ s1: seed.toString('base64') }) }).signingKeys).toEqual([{ kid: 's1', seed: new Uint8Array(seed) }]);
  });

  it('makes customer references with the development key outside production, and only with its own in production', () => {
    expect(loadAuthSettings({ AUTH_JWT_SECRET: 's'.repeat(32) }).customerRefKey).toBe(DEV_CUSTOMER_REF_KEY);
    const production = { NODE_ENV: 'production', AUTH_JWT_SECRET: 's'.repeat(32), AUTH_JWT_ISSUER: 'https://idp/', AUTH_JWT_AUDIENCE: 'complaints', METRICS_TOKEN: 'm'.repeat(32), COMMAND_SIGNING_KEYS: JSON.stringify({ s1: randomBytes(32).toString('base64') }) };
    expect(errorMessage(() => loadAuthSettings(production))).toMatch(/CUSTOMER_REF_KEY: production needs its own key/);
    expect(errorMessage(() => loadAuthSettings({ ...production, CUSTOMER_REF_KEY: DEV_CUSTOMER_REF_KEY }))).toMatch(/CUSTOMER_REF_KEY: production needs its own key/);
    expect(errorMessage(() => loadAuthSettings({ ...production, CUSTOMER_REF_KEY: 'short' }))).toMatch(/CUSTOMER_REF_KEY/);
    expect(loadAuthSettings({ ...production, CUSTOMER_REF_KEY: 'k'.repeat(32) }).customerRefKey).toBe('k'.repeat(32));
  });

  it.each([
    [{ API_KEYS: 'not json' }, /API_KEYS: not JSON/],
    [{ API_KEYS: JSON.stringify([{ key: strongKey, id: 'x', role: 'admin' }]) }, /API_KEYS\.0\.role/],
    [{ API_KEYS: JSON.stringify([{ key: strongKey, id: 'x', role: 'department' }]) }, /API_KEYS\.0\.department: a department key names its department/],
    [{ API_KEYS: JSON.stringify([{ id: 'x', role: 'service' }]) }, /API_KEYS\.0\.key: give either key or sha256/],
    [{ API_KEYS: JSON.stringify([{ key: 'short', id: 'x', role: 'service' }]) }, /API_KEYS\.0\.key: an API key has at least 16 characters/],
    [{ AUTH_JWT_SECRET: 'too short' }, /AUTH_JWT_SECRET: use at least 32 characters/],
    [{ AUTH_JWKS_URL: 'not a url' }, /AUTH_JWKS_URL/],
  ])('refuses bad credential settings, naming the variable and the field: %j', (env, message) => {
    expect(errorMessage(() => loadAuthSettings(env))).toMatch(message);
  });
});

describe('loadPolicy', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'policy-test-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the shipped policy from the default path', () => {
    expect(loadPolicy(loadSettings({}).policyPath).clocks.reply.durations.direct.normal).toEqual({ hours: 12 });
  });

  it('a file that is not JSON: the message names the path', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "version": "x", ');
    expect(errorMessage(() => loadPolicy(path))).toContain(path);
  });

  it('a missing file: the message names the path', () => {
    const path = join(dir, 'missing.json');
    expect(errorMessage(() => loadPolicy(path))).toContain(path);
  });

  it('a file with a bad field: the message names the field and the path', () => {
    const path = join(dir, 'bad-field.json');
    const policy = {
      version: 'test',
      acknowledgement: { promisedReplyHours: { direct: 12, transferred: 2 } },
      approval: { limitsFen: { supervisor: 50000, manager: 500000 }, escalateTo: 'manager' },
      customerAnswer: { reminderEveryHours: 24, reminders: 2, onSilence: 'close-as-accepted' },
      notUpheld: { disputeWindowHours: 168 },
      callback: { sampleRate: 1.5 },
    };
    writeFileSync(path, JSON.stringify(policy));
    const message = errorMessage(() => loadPolicy(path));
    expect(message).toContain('callback.sampleRate');
    expect(message).toContain(path);
  });
});

describe('loadAssessment', () => {
  it('reads the shipped assessment, and from ASSESSMENT_PATH', () => {
    const { assessmentPath } = loadSettings({});
    expect(assessmentPath).toBe(join(projectRoot, 'config', 'assessment.json'));
    expect(loadAssessment(assessmentPath).timeZoneOffsetMinutes).toBe(480);
    expect(loadSettings({ ASSESSMENT_PATH: '/etc/complaints/assessment.json' }).assessmentPath).toBe('/etc/complaints/assessment.json');
  });

  it('names the file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assessment-'));
    try {
      const file = join(dir, 'assessment.json');
      writeFileSync(file, '{ not json');
      expect(errorMessage(() => loadAssessment(file))).toContain(`Cannot read the assessment configuration ${file}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the worker metrics addresses', () => {
  it('listen on localhost by default, where WORKER_*_METRICS_ADDRESS say, or nowhere with off', () => {
    expect(loadSettings({})).toMatchObject({
      workerSdkMetrics: { host: '127.0.0.1', port: 9464 },
      workerMetrics: { host: '127.0.0.1', port: 9465 },
    });
    const s = loadSettings({ WORKER_SDK_METRICS_ADDRESS: '0.0.0.0:19464', WORKER_METRICS_ADDRESS: 'off' });
    expect(s.workerSdkMetrics).toEqual({ host: '0.0.0.0', port: 19464, address: '0.0.0.0:19464' });
    expect(s.workerMetrics).toBeUndefined();
    expect(loadSettings({ WORKER_METRICS_ADDRESS: '[::1]:9465' }).workerMetrics).toMatchObject({ host: '::1', port: 9465 });
  });

  it('refuses an address without a port, naming the variable', () => {
    expect(errorMessage(() => loadSettings({ WORKER_SDK_METRICS_ADDRESS: '9464' }))).toMatch(/WORKER_SDK_METRICS_ADDRESS: host:port/);
  });
});
