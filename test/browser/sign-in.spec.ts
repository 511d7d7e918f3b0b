import { checkPage, expect, test } from './fixtures';

test.describe('the sign-in and sign-up pages', () => {
  test('when a visitor opens the panel, then the sign-in page asks for the e-mail address and password', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page.getByLabel('E-mail address')).toBeVisible();
    await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
    await checkPage(page, 'sign-in');
  });

  test('when a visitor types a password on the sign-up page, then the checklist shows which rules it meets', async ({
    page,
  }) => {
    await page.goto('/sign-up');
    const checklist = page.getByRole('list', { name: 'Your password must have' });
    await page.getByLabel('Password', { exact: true }).fill('short');
    await expect(checklist.getByRole('listitem').filter({ hasText: '8 to 20 characters' })).toContainText('not met');
    await expect(checklist.getByRole('listitem').filter({ hasText: 'a lower-case letter' })).toContainText(': met');
    await checkPage(page, 'sign-up');
  });
});
