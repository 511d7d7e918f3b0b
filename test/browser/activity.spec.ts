import { recordAudits } from '../../src/db/repositories/audit';
import { checkPage, expect, test } from './fixtures';
import { accountIdOf, signedInMerchant, tabTo } from './merchant';

const PAGE_SIZE = 20;
const SEEDED = PAGE_SIZE + 5;

test('when the account has more events than a page, then Older events and Newest events page through them by keyboard', async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  // Each seeded event from its own address, so a row tells which one it is: 10.0.0.25 is the newest.
  const accountId = await accountIdOf(stack, email);
  await recordAudits(
    stack.database.db,
    Array.from({ length: SEEDED }, (_, index) => ({
      accountId,
      type: 'profile_updated' as const,
      context: { ip: `10.0.0.${index + 1}`, userAgent: null },
    })),
  );

  await page.getByRole('link', { name: 'Account activity' }).click();
  const rows = page.getByRole('table').getByRole('row');
  const cell = (ip: string) => page.getByRole('cell', { name: ip, exact: true });
  await expect(cell(`10.0.0.${SEEDED}`)).toBeVisible();
  await expect(rows).toHaveCount(PAGE_SIZE + 1); // the header and a full page
  await expect(cell('10.0.0.5')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Newest events' })).toHaveCount(0);

  const older = page.getByRole('button', { name: 'Older events' });
  await tabTo(page, older);
  await expect(older).toBeFocused();
  await page.keyboard.press('Enter');
  // The rest: the last five seeded, then what signing up and in recorded; no further page.
  await expect(cell('10.0.0.5')).toBeVisible();
  await expect(cell(`10.0.0.${SEEDED}`)).toHaveCount(0);
  await expect(page.getByRole('cell', { name: 'signup' })).toBeVisible();
  await expect(older).toHaveCount(0);
  await checkPage(page, 'activity-older');

  const newest = page.getByRole('button', { name: 'Newest events' });
  await tabTo(page, newest);
  await expect(newest).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(cell(`10.0.0.${SEEDED}`)).toBeVisible();
  await expect(rows).toHaveCount(PAGE_SIZE + 1);
  await expect(newest).toHaveCount(0);
});
