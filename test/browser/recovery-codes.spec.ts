import { Authenticator } from '../helpers/authenticator';
import { codeIn } from '../helpers/smtp';
import { checkPage, expect, test } from './fixtures';
import { PASSWORD, signedInMerchant, signInOnPage } from './merchant';

test('when a merchant with Google Authenticator replaces the recovery codes, then ten new ones are shown once and an old one no longer signs in', async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  // Google Authenticator turned on over the API (the journey test does it on the page).
  const { token } = (await stack.http.post('/v1/auth/login', { email, password: PASSWORD })).body as { token: string };
  const setup = await stack.http.post('/v1/account/2fa/totp', {}, token);
  const phone = new Authenticator(setup.body.otpauthUri as string);
  const enabled = await stack.http.post('/v1/account/2fa/totp/confirm', { code: phone.code() }, token);
  const [oldCode] = enabled.body.recoveryCodes as string[];

  await page.reload();
  const totp = page.getByRole('region', { name: 'Google Authenticator' });
  const recovery = totp.getByRole('group', { name: 'Recovery codes' });
  await expect(recovery.getByText('Recovery codes left: 10')).toBeVisible();
  await recovery.getByRole('button', { name: 'Replace recovery codes' }).click();
  await recovery.getByLabel('Password').fill(PASSWORD);
  // The code the authenticator shows next (the one used to turn it on is never accepted twice).
  await recovery
    .getByRole('group', { name: 'Code from Google Authenticator' })
    .getByLabel('Digit 1 of 6')
    .fill(phone.code(1));
  await checkPage(page, 'edit-account-recovery-replace');
  await recovery.getByRole('button', { name: 'Replace recovery codes' }).click();

  const newCodes = recovery.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(newCodes).toHaveCount(10);
  const [newCode] = await newCodes.allInnerTexts();
  expect(enabled.body.recoveryCodes).not.toContain(newCode);
  await checkPage(page, 'edit-account-recovery-replaced');
  // Shown once: a new visit shows the count only.
  await page.reload();
  await expect(recovery.getByText('Recovery codes left: 10')).toBeVisible();
  await expect(recovery.getByRole('list', { name: 'Recovery codes' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await signInOnPage(page, email, PASSWORD);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(oldCode!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('The code is not right.');
  await page.getByLabel('Recovery code').fill(newCode!);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();
  await expect(recovery.getByText('Recovery codes left: 9')).toBeVisible();
});

test('when a merchant with mail authentication replaces the recovery codes, then a code is mailed for it first', async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  const { token } = (await stack.http.post('/v1/auth/login', { email, password: PASSWORD })).body as { token: string };
  await stack.http.post('/v1/account/2fa/email', {}, token);
  const enabling = await stack.smtp.waitFor(
    (mail) => mail.to === email && /turn on mail authentication/.test(mail.text),
  );
  expect((await stack.http.post('/v1/account/2fa/email/confirm', { code: codeIn(enabling) }, token)).status).toBe(200);

  await page.reload();
  const recovery = page
    .getByRole('region', { name: 'Mail Authentication' })
    .getByRole('group', { name: 'Recovery codes' });
  await recovery.getByRole('button', { name: 'Replace recovery codes' }).click();
  await recovery.getByLabel('Password').fill(PASSWORD);
  await recovery.getByRole('button', { name: 'Mail me a code' }).click();
  await expect(recovery.getByRole('status')).toHaveText('A code is on its way to your e-mail address.');
  const mailed = await stack.smtp.waitFor((mail) => mail.to === email && /new recovery codes/.test(mail.text));
  await recovery.getByRole('group', { name: 'Code from the e-mail' }).getByLabel('Digit 1 of 6').fill(codeIn(mailed));
  await recovery.getByRole('button', { name: 'Replace recovery codes' }).click();
  await expect(recovery.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
});
