import { checkPage, expect, test } from './fixtures';
import { PASSWORD, resetCodeFor, signInOnPage, verifiedMerchant } from './merchant';

const CHANGED_PASSWORD = 'Chang3d!Pass';
const RESET_PASSWORD = 'Reset&Again42';

test('when a merchant follows the "This wasn\'t me" link of a security mail, then the account locks only on the button and sign-in is refused until a reset', async ({
  page,
  stack,
}) => {
  const { email } = await verifiedMerchant(stack);
  const login = await stack.http.post('/v1/auth/login', { email, password: PASSWORD });
  const changed = await stack.http.post(
    '/v1/account/password',
    { oldPassword: PASSWORD, newPassword: CHANGED_PASSWORD, newPasswordConfirm: CHANGED_PASSWORD },
    login.body.token as string,
  );
  expect(changed.status).toBe(204);
  // The link as the mail carries it; its host is PUBLIC_URL, the path and token are the page's.
  const mail = await stack.smtp.waitFor(
    (message) => message.to === email && /password was changed/.test(message.subject),
  );
  const link = new URL(/https?:\/\/\S+\/lock\?token=\S+/.exec(mail.text)![0]);

  await page.goto(link.pathname + link.search);
  await expect(page.getByRole('heading', { level: 1, name: 'Lock your account' })).toBeVisible();
  await expect(page.getByText('signs you out on every device, including this one;')).toBeVisible();
  await checkPage(page, 'lock');
  // Opening the link locks nothing (mail scanners open links too): signing in still works.
  const stillOpen = await stack.http.post('/v1/auth/login', { email, password: CHANGED_PASSWORD });
  expect(stillOpen.body.status).toBe('authenticated');

  await page.getByRole('button', { name: 'Lock my account' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Your account is locked and every session is signed out. Reset your password to sign in again.',
  );
  await checkPage(page, 'lock-done');
  expect((await stack.http.get('/v1/account', stillOpen.body.token as string)).status).toBe(401);

  // Used once, the link says so.
  await page.reload();
  await page.getByRole('button', { name: 'Lock my account' }).click();
  await expect(page.getByRole('alert')).toHaveText('This link has expired or was already used.');
  await expect(page.getByRole('button', { name: 'Lock my account' })).toHaveCount(0);
  await checkPage(page, 'lock-used');

  // A link cut short on its way from the mail.
  await page.goto('/lock?token=abc');
  await page.getByRole('button', { name: 'Lock my account' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'This link is not complete or not valid. Open it again from the security mail, or reset your password.',
  );

  // Sign-in is refused, with the reason, until the password is reset.
  await page.getByRole('link', { name: 'Reset your password' }).click();
  await page.getByRole('link', { name: 'Back to Sign in' }).click();
  await signInOnPage(page, email, CHANGED_PASSWORD);
  await expect(page.getByRole('alert')).toHaveText('This account is locked. Reset your password to sign in again.');
  await checkPage(page, 'sign-in-locked');

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('button', { name: 'Send code' }).click();
  await page
    .getByRole('group', { name: 'Code from the e-mail' })
    .getByLabel('Digit 1 of 6')
    .fill(await resetCodeFor(stack, email));
  await page.getByLabel('New Password', { exact: true }).fill(RESET_PASSWORD);
  await page.getByLabel('New Password (again)').fill(RESET_PASSWORD);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await signInOnPage(page, email, RESET_PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();
});
