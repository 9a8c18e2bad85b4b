// ESLint 9 flat config, type-aware through typescript-eslint's project service (tsconfig.json).
// `npm run lint`; part of `npm test`, so CI runs it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every Node built-in, bare and `node:`-prefixed (`fs`, `fs/promises`, `node:crypto`, ...). */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', '.tools/', '.data/', 'coverage/', 'test-artifacts/', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its failure (and, in a workflow, its place in the history).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `x!` after a check the compiler cannot follow (find, at, array index) is used on purpose.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests walk untyped JSON (the OpenAPI document, raw policy files, express's router stack).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox, and so do the domain modules it
    // imports: no Node built-ins (the bundler refuses most of them; the rest break replay), and
    // activities only as types (the workflow calls them through proxyActivities).
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code runs in a sandbox: no Node built-ins.' })),
          patterns: [
            { regex: '^node:', message: 'Workflow code runs in a sandbox: no Node built-ins.' },
            {
              regex: '(^|/)activities(/|$)',
              allowTypeImports: true,
              message: 'Workflows import activity types only (import type ...) and call them through proxyActivities.',
            },
          ],
        },
      ],
    },
  },
  {
    // Date.now() and Math.random(): inside a workflow the sandbox replaces both with deterministic
    // versions (workflow time, a seeded generator), so workflows/ may use them. The domain modules
    // also run outside the sandbox (API, reports, unit tests), where they would not be
    // deterministic: they take `now` (and any chance) as arguments instead.
    // The reports and the scorecard are pure too: they take the period and `now` as arguments.
    files: ['domain/**/*.ts', 'archive/reports/**/*.ts', 'archive/scorecard/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Domain rules take `now` as an argument.' },
        { object: 'Math', property: 'random', message: 'Domain rules take any randomness as an argument (the workflow draws it).' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Domain rules take `now` as an argument.' },
      ],
    },
  },
  // Imports run one way, down the layers: domain <- contract <- archive / activities <- workflows
  // <- api / worker <- scripts (configuration beside archive). A layer imports nothing above it.
  ...layers({
    domain: ['contract', 'archive', 'activities', 'workflows', 'api', 'worker', 'scripts', 'config', 'bench'],
    // The case and the workflow run in every complaint's sandbox: zod stays at the edge.
    'domain/case': { above: ['contract', 'archive', 'activities', 'workflows', 'api', 'worker', 'scripts', 'config', 'bench'], noValue: ['zod'] },
    contract: ['archive', 'activities', 'workflows', 'api', 'worker', 'scripts', 'config', 'bench'],
    archive: ['activities', 'workflows', 'api', 'worker', 'scripts', 'bench'],
    activities: ['workflows', 'api', 'worker', 'scripts', 'bench'],
    workflows: { above: ['archive', 'api', 'worker', 'scripts', 'config', 'bench'], noValue: ['zod'] },
    api: ['worker', 'scripts', 'bench', 'workflows'],
    worker: ['api', 'scripts', 'bench'],
  }),
);

/**
 * One rule per layer: its files import nothing from the folders named. Node built-ins and the
 * sandbox's rules for workflow code are the block above; this one is the direction of the arrows.
 */
function layers(above) {
  return Object.entries(above).map(([layer, rule]) => ({ layer, folders: Array.isArray(rule) ? rule : rule.above, noValue: rule.noValue ?? [] })).map(({ layer, folders, noValue }) => ({
    files: [`${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noValue.map((name) => ({ name, allowTypeImports: true, message: `${layer}/ runs in every complaint's sandbox: ${name} stays at the edge (checks use the generated JSON Schema).` })),
          patterns: folders.map((folder) => ({
            regex: `^(\\.\\./)+${folder}(/|$)`,
            message: `${layer}/ sits below ${folder}/: imports run down the layers (the Layout section of the README).`,
          })),
        },
      ],
    },
  }));
}
