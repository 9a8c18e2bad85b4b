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
