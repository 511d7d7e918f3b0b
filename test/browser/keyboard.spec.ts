import { checkPage, expect, test } from './fixtures';
import { PASSWORD, signedInMerchant, tabTo } from './merchant';

test('when a merchant closes the account with the keyboard alone, then every control is reached and worked by keys', async ({
  page,
  stack,
}) => {
  await signedInMerchant(page, stack);

  const closure = page.getByRole('region', { name: 'Close My Account' });
  const passwordField = closure.getByLabel('Password', { exact: true });
  // Tab through the page from the top until the closure's password field has the focus.
  await tabTo(page, passwordField);
  await expect(passwordField).toBeFocused();
  await page.keyboard.type(PASSWORD);

  const acknowledge = closure.getByRole('checkbox', { name: 'I have carefully read and approve the above warnings' });
  const deleteAll = closure.getByRole('checkbox', { name: 'Delete my account and all my data' });
  const closeButton = closure.getByRole('button', { name: 'Close My Account' });
  await page.keyboard.press('Tab');
  await expect(acknowledge).toBeFocused();
  await page.keyboard.press('Space');
  await expect(acknowledge).toBeChecked();
  await expect(closeButton).toBeDisabled();
  await page.keyboard.press('Tab');
  await expect(deleteAll).toBeFocused();
  await page.keyboard.press('Space');
  await expect(deleteAll).toBeChecked();
  await expect(closeButton).toBeEnabled();
  await page.keyboard.press('Tab');
  await expect(closeButton).toBeFocused();
  await checkPage(page, 'close-account-keyboard');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Your account is closed' })).toBeVisible();
});
