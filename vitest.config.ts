import { defineConfig } from 'vitest/config';

// Three tiers: fast pure-domain unit tests, integration tests through the HTTP API
// (run once per database: MINBIAO_TEST_DB=sqlite|postgres), and browser tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          // Property and simulation tests do real work; a loaded CI machine must not fail them on time.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // expect.poll waits on the server (a citation fetched, a list reloaded): 1 s is too short on a
          // loaded CI machine, where it failed once with the page right and only slow.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
    ],
  },
});
