/** Process settings from the environment, and loading the policy file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import { loadPolicy, loadSettings } from '../../config/settings';
import { errorMessage } from '../support/errors';


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
    const s = loadSettings({ PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/var/lib/complaints', EFFECTS_BASE_URL: 'http://effects:9000', NODE_ENV: 'production' });
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

  it('refuses an EFFECTS_BASE_URL that is not a URL, naming it', () => {
    const message = errorMessage(() => loadSettings({ EFFECTS_BASE_URL: 'not a url' }));
    expect(message).toContain('EFFECTS_BASE_URL');
    expect(message).not.toMatch(/\bPORT\b/);
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
