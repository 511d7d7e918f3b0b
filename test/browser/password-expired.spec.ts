import { checkPage, expect, test } from './fixtures';
import { PASSWORD, signInOnPage, verifiedMerchant } from './merchant';

const DAY_MS = 24 * 60 * 60 * 1000;

test('when a merchant signs in with a password older than 90 days, then the panel says why and the new password works at the next sign-in', async ({
  page,
  stack,
}) => {
  const { email } = await verifiedMerchant(stack);
  // As the rotation flow leaves it on day 90.
  await stack.database.db
    .updateTable('accounts')
    .set({
      password_changed_at: new Date(Date.now() - 91 * DAY_MS),
      password_expired_at: new Date(Date.now() - DAY_MS),
    })
    .where('email', '=', email)
    .execute();

  await page.goto('/sign-in');
  await signInOnPage(page, email, PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Your password has expired' })).toBeVisible();
  await expect(page.getByText('Passwords must be renewed every 90 days.')).toBeVisible();
  // That session may change the password and nothing else.
  await page.goto('/settings/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.goto('/password-expired');
  await checkPage(page, 'password-expired');

  const newPassword = 'Fresh&Spring26';
  await page.getByLabel('Old Password').fill(PASSWORD);
  await page.getByLabel('New Password', { exact: true }).fill(newPassword);
  await page.getByLabel('New Password (again)').fill(newPassword);
  await page.getByRole('button', { name: 'Change Password' }).click();

  await expect(page.getByRole('status')).toHaveText('Your password was changed. Sign in with the new one.');
  await signInOnPage(page, email, newPassword);
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();
});
