/** Three layers, one run: test/unit (pure), test/workflows (time-skipping server), test/integration (dev server + real app). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60_000,
  // Temporal servers and workers are started per test file; give them room to shut down.
  openHandlesTimeout: 5_000,
};
