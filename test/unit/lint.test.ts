/**
 * The lint rules that keep workflow code deterministic (eslint.config.mjs), on a probe source
 * written for the duration of the test into workflows/, domain/ and api/: a rule that stops firing
 * fails here, not in review. Through the CLI: the flat config is an ES module, which jest's
 * CommonJS runtime cannot import; one run for all three files (type-aware linting builds the
 * TypeScript program once).
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '..', '..');
const run = promisify(execFile);

const probe = [
  "import { readFileSync } from 'fs';",
  "import { join } from 'node:path';",
  "import { createActivities } from '../activities';",
  "import type { ComplaintActivities } from '../activities';",
  "import type { StaffNotice } from '../activities/ports';",
  'async function later(): Promise<number> { return 1; }',
  'export function probe(a: ComplaintActivities, n: StaffNotice): number {',
  '  later();',
  '  return [readFileSync, join, createActivities, a, n].length + Date.now() + Math.random() + new Date().getTime() + new Date(0).getTime();',
  '}',
].join('\n');

/** Rule ids with line numbers, by folder the probe sat in. */
let found: Record<string, string[]>;

beforeAll(async () => {
  const files = ['workflows', 'domain', 'api'].map((dir) => join(root, dir, `lint-probe-${process.pid}.ts`));
  try {
    for (const file of files) writeFileSync(file, probe);
    const cli = run(process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', ...files], { cwd: root });
    // ESLint exits 1 when it finds problems: its report is on stdout either way.
    const stdout = await cli.then((r) => r.stdout, (err: { stdout?: string; message: string }) => err.stdout || err.message);
    const results = JSON.parse(stdout) as Array<{ filePath: string; messages: Array<{ line: number; ruleId: string | null; message: string }> }>;
    found = Object.fromEntries(
      results.map((r) => {
        const unparsed = r.messages.filter((m) => m.ruleId === null);
        if (unparsed.length > 0) throw new Error(unparsed.map((m) => m.message).join('\n'));
        return [relative(root, r.filePath).split(/[\\/]/)[0]!, r.messages.map((m) => `${m.line}:${m.ruleId}`)];
      }),
    );
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}, 120_000);

test("in workflows/: Node built-ins, value imports of activities and floating promises are errors; Date.now and Math.random are the sandbox's", () => {
  expect(found.workflows).toEqual([
    '1:@typescript-eslint/no-restricted-imports',
    '2:@typescript-eslint/no-restricted-imports',
    '3:@typescript-eslint/no-restricted-imports',
    '8:@typescript-eslint/no-floating-promises',
  ]);
});

test('in domain/: also no Date.now(), Math.random() or new Date() without an argument, and no import of a layer above (activities, even as types)', () => {
  expect(found.domain).toEqual([
    '1:@typescript-eslint/no-restricted-imports',
    '2:@typescript-eslint/no-restricted-imports',
    '3:@typescript-eslint/no-restricted-imports',
    '3:no-restricted-imports',
    '4:no-restricted-imports',
    '5:no-restricted-imports',
    '8:@typescript-eslint/no-floating-promises',
    '9:no-restricted-properties',
    '9:no-restricted-properties',
    '9:no-restricted-syntax',
  ]);
});

test('elsewhere: Node built-ins and activities are fine, floating promises are not', () => {
  expect(found.api).toEqual(['8:@typescript-eslint/no-floating-promises']);
});
