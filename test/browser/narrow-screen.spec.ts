import { seedDemoData } from '../../src/db/repositories/demo-data';
import { expect, test } from './fixtures';
import { checkboxGeometry, expectFitsWidth, PHONE } from './layout';
import { accountIdOf, signedInMerchant } from './merchant';

// A phone held upright: what the merchant sees must fit, without scrolling sideways.
test.use({ viewport: PHONE });

test('when a merchant opens Integrations on a 390 px screen, then each integration fits with its button in view', async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  await seedDemoData(stack.database.db, await accountIdOf(stack, email), {
    integrations: 2,
    products: 0,
    orders: 0,
  });
  await page.getByRole('link', { name: 'Integrations' }).click();

  const table = page.getByRole('table');
  await expect(table.getByRole('row')).toHaveCount(3); // still a table to a screen reader: the header and two rows
  const row = table.getByRole('row', { name: /Hepsiburada store 2/ });
  await expect(row.getByRole('cell', { name: 'On', exact: true })).toBeVisible();
  await expectFitsWidth(page);
  await row.getByRole('button', { name: 'Turn off Hepsiburada store 2' }).click();
  await expect(row.getByRole('cell', { name: 'Off', exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Turn on Hepsiburada store 2' })).toBeInViewport();
  // The journey test takes this page's screenshots (integrations-390.png shows the cards).
  await expectFitsWidth(page);
});

test('when a merchant reaches Close My Account on a 390 px screen, then both checkboxes line up with their labels', async ({
  page,
  stack,
}) => {
  await signedInMerchant(page, stack);
  const closure = page.getByRole('region', { name: 'Close My Account' });
  await expect(closure).toBeVisible();
  await expectFitsWidth(page);

  const boxes = [];
  for (const name of ['I have carefully read and approve the above warnings', 'Delete my account and all my data']) {
    boxes.push(
      await checkboxGeometry(closure.getByRole('checkbox', { name }), closure.locator('label', { hasText: name })),
    );
  }
  const [acknowledge, deleteAll] = boxes as [(typeof boxes)[0], (typeof boxes)[0]];
  // The long label wraps to two lines at this width; its box must not shrink or drift for it.
  expect(acknowledge.size).toEqual(deleteAll.size);
  expect(acknowledge.size.width).toBe(acknowledge.size.height);
  expect(acknowledge.size.width).toBeGreaterThanOrEqual(18);
  expect(acknowledge.boxLeft).toBe(deleteAll.boxLeft);
  expect(acknowledge.labelLeft).toBe(deleteAll.labelLeft);
  expect(acknowledge.offFirstLine).toBeLessThanOrEqual(2);
  expect(deleteAll.offFirstLine).toBeLessThanOrEqual(2);
});
