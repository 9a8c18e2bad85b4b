import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
