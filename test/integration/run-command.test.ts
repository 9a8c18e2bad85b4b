/**
 * The run command (`npm start`, scripts/run-service.ts) leaves no process behind, whichever of
 * SIGINT, SIGTERM, SIGHUP stops it, sent to its whole process group or to the npm process alone.
 * Each case starts the real command (dev server, worker, API) on spare ports with its data in a
 * temporary directory, and a pre-built workflow bundle so that start-up takes seconds.
 */
import { failureConverterPath } from '../../config/payload-codec';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePorts } from '../../scripts/temporal-binaries';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const root = resolve(__dirname, '..', '..');
let scratch: string;
let bundlePath: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'run-command-'));
  bundlePath = join(scratch, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath, logger: quietLogger });
  writeFileSync(bundlePath, code);
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));


/** Live (not zombie) processes whose environment carries `marker`: every process the run command started. */
function processesWith(marker: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) continue;
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      // Gone while we looked: not left behind.
    }
  }
  return found;
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 200))) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

interface Started {
  npm: ChildProcess;
  output: () => string;
  marker: string;
  dataDir: string;
}

async function startService(): Promise<Started> {
  const dataDir = mkdtempSync(join(scratch, 'data-'));
  const marker = `DATA_DIR=${dataDir}`;
  const [port, devPort, uiPort] = await freePorts(3);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(devPort),
    TEMPORAL_UI_PORT: String(uiPort),
    DATA_DIR: dataDir,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
  };
  for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_PROFILE', 'API_KEYS', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'DATABASE_URL', 'EFFECTS_BASE_URL']) delete env[name];
  // Its own process group, as a terminal would give it: the group can be signalled as one.
  const npm = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  npm.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const started = { npm, output: () => out, marker, dataDir };
  await until('the service to come up', 90_000, () => {
    if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${out}`);
    return out.includes('Complaint service is up') && /^TOKEN=\S+$/m.test(out) ? true : undefined;
  }).catch((err: unknown) => {
    stopAll(started);
    throw err;
  });
  return started;
}

/** Last resort after a failed test: nothing of ours keeps running. */
function stopAll({ marker }: Started): void {
  for (const { pid } of processesWith(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const cases = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).flatMap((signal) => [
  [signal, 'the process group'] as const,
  [signal, 'the npm process alone'] as const,
]);

describe('npm start', () => {
  it.each(cases)('%s to %s stops every process it started', async (signal, target) => {
    const service = await startService();
    try {
      const running = processesWith(service.marker);
      // npm, the service itself, and the Temporal dev server at least.
      expect(running.map((p) => p.command).join('\n')).toMatch(/temporal.* server start-dev/);
      expect(running.length).toBeGreaterThanOrEqual(3);
      expect(service.output()).toContain(`Temporal data ${join(service.dataDir, 'temporal.db')}`);
      // Its SQLite keeps a write-ahead log (DEV_SERVER_SQLITE_PRAGMAS), not a journal synced per commit.
      expect(existsSync(join(service.dataDir, 'temporal.db-wal'))).toBe(true);

      process.kill(target === 'the process group' ? -service.npm.pid! : service.npm.pid!, signal);
      const left = await until('every process to stop', 40_000, () => (processesWith(service.marker).length === 0 ? [] : undefined)).catch(() => processesWith(service.marker));
      expect(left).toEqual([]);
      // It stopped in order, not by being killed.
      expect(service.output()).toMatch(/(SIGINT|SIGTERM|SIGHUP|parent exited): stopping the API/);
    } finally {
      stopAll(service);
    }
  }, 150_000);
});

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
