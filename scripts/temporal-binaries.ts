import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';

const localBin = join(__dirname, '..', '.tools', 'temporal', 'py', 'bin');

/** Where the SDK should find a binary: an existing path, or its own download as the last resort. */
export type Executable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

function which(cmd: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function firstExisting(...candidates: Array<string | undefined>): Executable {
  const path = candidates.find((c): c is string => !!c && existsSync(c));
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}

/** The `temporal` CLI (dev server + Web UI): override, then PATH, then the project-local copy. */
export function temporalCli(): Executable {
  return firstExisting(process.env.TEMPORAL_CLI_PATH, which('temporal'), join(localBin, 'temporal'));
}

/** The time-skipping test server: override, then the project-local copy. */
export function temporalTestServer(): Executable {
  return firstExisting(
    process.env.TEMPORAL_TEST_SERVER_PATH,
    which('temporal-test-server'),
    join(localBin, 'temporal-test-server'),
  );
}

/**
 * The dev server's SQLite settings on a database file: a write-ahead log, synced at checkpoints
 * rather than at every commit. Its default (a rollback journal synced at every commit) held it to
 * ~90 workflow starts per second on this machine's disk, against ~190 with these (~280 in memory);
 * in the full bench the server's CPU per lifecycle fell 20%. A killed server process loses nothing
 * that was committed; a power cut may lose the last commits (a dev server's bargain).
 */
export const DEV_SERVER_SQLITE_PRAGMAS = ['journal_mode=WAL', 'synchronous=NORMAL'];

/** `DEV_SERVER_SQLITE_PRAGMAS` as the CLI's arguments. */
export function devServerSqliteArgs(): string[] {
  return DEV_SERVER_SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p]);
}

/**
 * `count` distinct free TCP ports on 127.0.0.1 (held open together, so none is handed out twice),
 * none of `taken` (ports chosen already but not listened on yet).
 */
export async function freePorts(count: number, taken: readonly number[] = []): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count + taken.length }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports.filter((p) => !taken.includes(p)).slice(0, count);
}

/**
 * Spare ports for a dev server: its gRPC port, and (as the CLI's arguments) its HTTP API and
 * metrics ports chosen with it. Left to itself the CLI picks those two at random, and once picked
 * the very port it had been given for gRPC: "bind: address already in use", and the server never
 * answered (a CI run of the faults test).
 */
export async function spareDevServerPorts(): Promise<{ port: number; extraArgs: string[] }> {
  const [port] = await freePorts(1);
  return { port: port!, extraArgs: await devServerSidePortArgs([port!]) };
}

/** The CLI's arguments for the HTTP API and metrics ports of a dev server whose other ports are `taken`. */
export async function devServerSidePortArgs(taken: readonly number[]): Promise<string[]> {
  const [http, metrics] = await freePorts(2, taken);
  return ['--http-port', String(http), '--metrics-port', String(metrics)];
}
