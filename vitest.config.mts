import { defineConfig } from 'vitest/config';

// `npm run record-histories` runs the history recorder, a test file outside the suite's pattern,
// with the suite's global setup (PostgreSQL, the workflow bundle, the Temporal binaries).
const recording = process.env.RECORD_HISTORIES === '1';

export default defineConfig({
  test: {
    include: recording ? ['test/replay/record-histories.ts'] : ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    // Files share one PostgreSQL server and one Temporal dev server; each file gets its own
    // database and task queue, so files run in parallel. Timeouts leave room for argon2 and
    // workflow round trips on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // On CI, also a JUnit report for tools that read results rather than logs.
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'reports/junit.xml' },
  },
});
