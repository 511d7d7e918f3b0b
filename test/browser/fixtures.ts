import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test as base } from '@playwright/test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/temporal/binaries';
import { type StackOptions, type StackServices, startServiceStack, type TestStack } from '../helpers/service-stack';
import { SHARED_SERVICES_ENV } from './global-setup';

// In the test workers (this file is also loaded to list the tests), keep the SDK's own logs
// to warnings and errors, as the vitest setup does.
if (process.env.TEST_WORKER_INDEX !== undefined)
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

/**
 * Each Playwright worker runs the whole service, as `npm start` would: its own database, a real
 * SMTP server, a Temporal worker and the API serving the built panel at `/`. A spec that needs
 * another configuration says so with `test.use({ stackEnv: { ... } })`: Playwright gives it a
 * worker, and so a stack, of its own.
 */
export const test = base.extend<object, { stack: TestStack; stackEnv: NonNullable<StackOptions['env']> }>({
  stackEnv: [{}, { scope: 'worker', option: true }],
  stack: [
    async ({ stackEnv }, use) => {
      const shared = JSON.parse(process.env[SHARED_SERVICES_ENV] ?? 'null') as StackServices | null;
      if (!shared) throw new Error(`${SHARED_SERVICES_ENV} is not set: run the browser tests with playwright test`);
      const stack = await startServiceStack(shared, { env: stackEnv });
      await use(stack);
      await stack.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  baseURL: async ({ stack }, use) => use(stack.url),
});

export { expect };

const SCREENSHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');
/** A desktop and a phone: the panel must work on both. */
const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

/**
 * What every page gets: no serious or critical axe-core violation, at either width, and a
 * screenshot at each (docs/screenshots/<name>-<width>.png, shown in the README). A modal is
 * photographed as the viewport shows it (`fullPage: false`): a whole-page shot would dim only
 * the part of the page that was in view.
 */
export async function checkPage(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  const original = page.viewportSize();
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter(
      (violation) => violation.impact === 'serious' || violation.impact === 'critical',
    );
    expect(
      serious.map(
        (violation) =>
          `${violation.id} (${violation.impact}) at ${size.width}px: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      ),
    ).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${size.width}.png`), fullPage });
  }
  if (original) await page.setViewportSize(original);
}
