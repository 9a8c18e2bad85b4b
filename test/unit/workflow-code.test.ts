/**
 * What every open complaint pays for: the workflow's code runs in a sandbox per complaint, so what
 * it imports is evaluated per complaint (STYLE §16). The path new complaints take imports no zod
 * (validators check commands against generated JSON Schema), and that schema is current.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generatedSchemaFiles } from '../../scripts/lib/command-schemas';
import { checkSchema, withDefaults } from '../../domain/json-schema';

const root = join(__dirname, '..', '..');

/** The modules a file imports by value (not `import type`), followed through relative paths. */
function valueImportGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)';/gms), ...source.matchAll(/^export\s+(?!type\b)[^;]*?from\s+'([^']+)';/gms)].map((m) => m[1]!);
    graph.set(file, specifiers);
    for (const s of specifiers) {
      if (!s.startsWith('.')) continue;
      const base = resolve(dirname(file), s);
      const next = [`${base}.ts`, join(base, 'index.ts'), base].find((f) => existsSync(f) && f.endsWith('.ts'));
      if (next) visit(next);
    }
  };
  visit(entry);
  return graph;
}

test('the workflow path imports no zod', () => {
  const graph = valueImportGraph(join(root, 'workflows', 'index.ts'));
  const importingZod = [...graph].filter(([, specifiers]) => specifiers.includes('zod')).map(([file]) => file.replace(`${root}/`, ''));
  expect(importingZod).toEqual([]);
  // The graph really covers the case and its rules.
  expect([...graph.keys()].map((f) => f.replace(`${root}/`, ''))).toEqual(expect.arrayContaining(['domain/case/case.ts', 'domain/case/commands.ts', 'domain/command-rules.ts', 'domain/clocks.ts', 'domain/calendar.ts']));
});

test('domain/generated/*.json is what the zod schemas generate today (npm run generate:schemas)', () => {
  for (const [name, document] of Object.entries(generatedSchemaFiles())) {
    expect(JSON.parse(readFileSync(join(root, 'domain', 'generated', name), 'utf8'))).toEqual(JSON.parse(JSON.stringify(document)));
  }
});

describe('the JSON Schema checker', () => {
  const schema = {
    type: 'object',
    properties: { n: { type: 'integer', exclusiveMinimum: 0 }, tags: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] } },
    required: ['n'],
    additionalProperties: false,
  };
  it('names the first offending field and says why', () => {
    expect(checkSchema(schema, { n: 1 })).toBeUndefined();
    expect(checkSchema(schema, {})).toEqual({ path: 'n', message: 'is required' });
    expect(checkSchema(schema, { n: 0 })).toEqual({ path: 'n', message: 'must be greater than 0' });
    expect(checkSchema(schema, { n: 1, tags: ['a', ''] })).toEqual({ path: 'tags.1', message: 'must have at least 1 character(s)' });
    expect(checkSchema(schema, { n: 1, x: true })).toEqual({ path: 'x', message: 'is not a known field' });
  });
  it('counts characters as code points, as JSON Schema does', () => {
    expect(checkSchema({ type: 'string', maxLength: 2 }, '📶📶')).toBeUndefined();
    expect(checkSchema({ type: 'string', maxLength: 1 }, '📶📶')).toBeDefined();
  });
  it('fills defaults in as zod would', () => {
    expect(withDefaults(schema, { n: 1 })).toEqual({ n: 1, tags: [] });
  });
});
