/**
 * Real processes for fault tests and scripts: a Temporal dev server on its own database file (so
 * it can be stopped and started again on the same data), and worker processes that can be killed
 * with -9. Everything listens on 127.0.0.1 on spare ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeRegistrations } from '../../contract/search-attributes';
import { devServerSqliteArgs, spareDevServerPorts, temporalCli } from '../temporal-binaries';

const root = join(__dirname, '..', '..');

export interface DevServerProcess {
  readonly address: string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Starts it again on the same database and port, and waits until it answers. */
  start(): Promise<void>;
  /** CPU seconds the running server has used so far (user + system, from /proc). */
  cpuSeconds(): number;
}

/** A dev server on `dbFile`, with the project's search attributes, answering at `address`. */
export async function startDevServerProcess(dbFile: string, logDir: string): Promise<DevServerProcess> {
  const cli = temporalCli();
  if (cli.type !== 'existing-path') throw new Error('No Temporal CLI: run `node scripts/ensure-temporal.mjs`');
  const { port, extraArgs: portArgs } = await spareDevServerPorts();
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const log = openSync(join(logDir, 'temporal-dev-server.log'), 'a');
    child = spawn(
      cli.path,
      [
        'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), ...portArgs, '--headless', '--db-filename', dbFile, ...devServerSqliteArgs(), '--log-level', 'error',
        ...searchAttributeRegistrations.flatMap(({ name, type }) => ['--search-attribute', `${name}=${type}`]),
      ],
      { stdio: ['ignore', log, log] },
    );
    const started = child;
    process.once('exit', () => started.kill('SIGKILL'));
    await (await connectWithRetry(address)).close();
  };
  await start();
  return {
    address,
    start,
    stop: () => stopProcess(child, 'SIGTERM'),
    cpuSeconds: () => cpuSecondsOf(child!.pid!),
  };
}

/** Connects to Temporal at `address`, retrying until it answers. */
export async function connectWithRetry(address: string, timeoutMs = 60_000): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal is not reachable at ${address}: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

export interface WorkerProcess {
  readonly pid: number;
  /** Resident memory now, in MiB (from /proc). */
  rssMiB(): number;
  /** CPU seconds used so far (user + system, from /proc). */
  cpuSeconds(): number;
  /** kill -9: no drain, no goodbye; its running activities time out on the server. */
  kill9(): Promise<void>;
  /** SIGTERM: the worker drains and exits. */
  stop(): Promise<void>;
  /** Resolves once the worker polls (its log says RUNNING). */
  readonly ready: Promise<void>;
}

/** `worker/main.ts` in its own process (one process: `node --import tsx`, so -9 leaves no child). */
export function startWorkerProcess(env: Record<string, string>, logFile: string, script = join('worker', 'main.ts'), nodeArgs: string[] = []): WorkerProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  // As the worker is run in production (worker/worker.ts, keepHeapThroughCalm).
  const child = spawn(process.execPath, ['--no-memory-reducer', ...nodeArgs, '--import', 'tsx', join(root, script)], {
    cwd: root,
    // No metrics endpoints unless asked: two scripts' workers on one machine must not fight over 9464/9465.
    env: { WORKER_SDK_METRICS_ADDRESS: 'off', WORKER_METRICS_ADDRESS: 'off', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.pipe(log);
  process.once('exit', () => child.kill('SIGKILL'));
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    const watch = (chunk: Buffer) => {
      log.write(chunk);
      seen = (seen + chunk.toString()).slice(-4000);
      if (seen.includes("state: 'RUNNING'")) resolve();
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4000);
      if (seen.includes("state: 'RUNNING'")) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was running: ${seen.slice(-1000)}`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    rssMiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    ready,
    kill9: () => stopProcess(child, 'SIGKILL'),
    stop: () => stopProcess(child, 'SIGTERM'),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill(signal);
  });
}
