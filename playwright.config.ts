import { defineConfig } from '@playwright/test';

// Playwright's own browser download is out of reach on our machines: the tests drive Debian's
// Chromium (apt-get install chromium; .ci/run and scripts/install-tools.sh see to it).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/browser/global-setup.ts',
  // One worker: each worker runs a whole stack (database, worker, API), and CI has two cores.
  workers: 1,
  // Argon2, workflow round trips and a real browser on a small machine.
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'reports/playwright-junit.xml' }]] : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM },
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    trace: 'retain-on-failure',
  },
});
