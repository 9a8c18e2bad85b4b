/** Three layers, one run: test/unit (pure), test/workflows (time-skipping server), test/integration (dev server + real app). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // jose ships ES modules only; jest's CommonJS runtime needs them compiled (Node itself loads them).
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 60_000,
  // Temporal servers and workers are started per test file; give them room to shut down.
  openHandlesTimeout: 5_000,
};
