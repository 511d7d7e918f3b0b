import { checkPage, expect, test } from './fixtures';
import { PASSWORD, signInOnPage, verifiedMerchant } from './merchant';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

test('when a merchant signed in on a second device signs it out, then that device is signed out, and "all other sessions" ends the rest', async ({
  page,
  browser,
  stack,
}) => {
  const { email } = await verifiedMerchant(stack);
  // Sessions of an API client (the sign-up helper's and this one), besides the two browsers.
  const apiClient = await stack.http.post('/v1/auth/login', { email, password: PASSWORD });
  const phone = await browser.newContext({ userAgent: IPHONE, viewport: { width: 390, height: 844 } });
  const phonePage = await phone.newPage();
  await phonePage.goto(`${stack.url}/sign-in`);
  await signInOnPage(phonePage, email, PASSWORD);
  await expect(phonePage.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();

  await page.goto('/sign-in');
  await signInOnPage(page, email, PASSWORD);
  const section = page.getByRole('region', { name: 'Sessions' });
  const sessions = section.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
  await expect(sessions).toHaveCount(4);
  // This device first, marked, with its browser read from the user agent.
  await expect(sessions.first()).toContainText('This device');
  await expect(sessions.first()).toContainText(/Chrome on Linux/);
  const phoneSession = sessions.filter({ hasText: 'Safari on iOS' });
  await expect(phoneSession).toContainText('127.0.0.1');
  await expect(phoneSession).toContainText('Last active');
  await section.scrollIntoViewIfNeeded();
  await checkPage(page, 'edit-account-sessions');

  await phoneSession.getByRole('button', { name: 'Sign out Safari on iOS' }).click();
  await expect(section.getByRole('status')).toHaveText('Safari on iOS is signed out.');
  await expect(sessions).toHaveCount(3);
  await phonePage.reload();
  await expect(phonePage.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await phone.close();

  await section.getByRole('button', { name: 'Sign out of all other sessions' }).click();
  const confirm = section.getByRole('group', { name: 'Sign out of 2 other sessions? This device stays signed in.' });
  await expect(confirm.getByRole('button', { name: 'Yes, sign out' })).toBeFocused();
  await checkPage(page, 'edit-account-sessions-confirm');
  await confirm.getByRole('button', { name: 'Yes, sign out' }).click();
  await expect(section.getByRole('status')).toHaveText('Every other session is signed out.');
  await expect(sessions).toHaveCount(1);
  await expect(section.getByRole('button', { name: 'Sign out of all other sessions' })).toHaveCount(0);
  expect((await stack.http.get('/v1/account', apiClient.body.token as string)).status).toBe(401);
  // This browser is still signed in.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();
});
