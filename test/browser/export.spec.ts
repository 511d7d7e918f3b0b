import { readFile } from 'node:fs/promises';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { checkPage, expect, test } from './fixtures';
import { accountIdOf, PASSWORD, signedInMerchant } from './merchant';

test('when a merchant downloads their data before closing, then the browser saves a JSON file with the profile, products and orders', async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  await seedDemoData(stack.database.db, await accountIdOf(stack, email), { integrations: 1, products: 2, orders: 3 });
  await page.reload();
  const closure = page.getByRole('region', { name: 'Close My Account' });
  const exportGroup = closure.getByRole('group', { name: 'Download your data first' });

  await exportGroup.getByLabel('Password for the download').fill('Not-the-Passw0rd');
  await exportGroup.getByRole('button', { name: 'Download my data' }).click();
  await expect(exportGroup.getByRole('alert')).toHaveText('The e-mail address or password is not right.');

  await exportGroup.getByLabel('Password for the download').fill(PASSWORD);
  const downloading = page.waitForEvent('download');
  await exportGroup.getByRole('button', { name: 'Download my data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^connectprof-export-\d{4}-\d{2}-\d{2}\.json$/);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8')) as {
    format: string;
    version: number;
    profile: { email: string };
    products: unknown[];
    orders: unknown[];
  };
  expect(saved).toMatchObject({ format: 'connectprof-account-export', version: 1, profile: { email } });
  expect(saved.products).toHaveLength(2);
  expect(saved.orders).toHaveLength(3);
  await expect(exportGroup.getByRole('status')).toHaveText('Your data is downloaded.');
  // The closure's own boxes come after it, untouched.
  await expect(closure.getByRole('checkbox', { name: 'Delete my account and all my data' })).not.toBeChecked();
  await exportGroup.scrollIntoViewIfNeeded();
  await checkPage(page, 'edit-account-export');
});
