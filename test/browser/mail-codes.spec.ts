import { checkPage, expect, test } from './fixtures';
import {
  accountOf,
  codeMailedBy,
  PASSWORD,
  signedInMerchant,
  signInOnPage,
  typeCode,
  verifiedMerchant,
} from './merchant';

const CODE_GROUP = 'Code from the e-mail';

test('when a merchant turns mail authentication on and then off in Edit My Account, then each step takes the code from the mail', async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  const section = page.getByRole('region', { name: 'Mail Authentication' });

  // On: a code to the account's address, typed into the boxes.
  const onCode = await codeMailedBy(stack, email, () => section.getByRole('button', { name: 'Send code' }).click());
  await expect(section.getByRole('status')).toHaveText(`We sent a code to ${email}.`);
  await expect(section.getByRole('button', { name: /Resend code in \d+ s/ })).toBeDisabled();
  await typeCode(section, CODE_GROUP, onCode);
  await section.getByRole('button', { name: 'Verify' }).click();
  await expect(section.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await expect(section.getByText('Mail authentication is on.', { exact: false })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Google Authenticator' })).toContainText(
    'Mail authentication is on. Turn it off to use Google Authenticator instead.',
  );
  expect((await accountOf(stack, email)).two_factor_method).toBe('email');
  await checkPage(page, 'edit-account-mail-auth-on');

  // Off: the password, then a code mailed for this.
  await section.getByLabel('Password').fill(PASSWORD);
  const offCode = await codeMailedBy(stack, email, () =>
    section.getByRole('button', { name: 'Mail me a code' }).click(),
  );
  await expect(section.getByRole('status').filter({ hasText: 'A code is on its way' })).toBeVisible();
  await typeCode(section, CODE_GROUP, offCode);
  await section.getByRole('button', { name: 'Turn off' }).click();
  await expect(section.getByRole('button', { name: 'Send code' })).toBeVisible();
  await expect(section.getByText('Receive a code by e-mail every time you sign in.')).toBeVisible();
  expect((await accountOf(stack, email)).two_factor_method).toBeNull();
});

test('when a merchant with mail authentication signs in, then the mailed code is the second step, and "Resend code" mails a new one', async ({
  page,
  stack,
}) => {
  const { email } = await verifiedMerchant(stack);
  // Mail authentication turned on over the API (the test above does it on the page).
  const { token } = (await stack.http.post('/v1/auth/login', { email, password: PASSWORD })).body as { token: string };
  const setupCode = await codeMailedBy(stack, email, () => stack.http.post('/v1/account/2fa/email', {}, token));
  expect((await stack.http.post('/v1/account/2fa/email/confirm', { code: setupCode }, token)).status).toBe(200);

  // The page's clock, so the resend cooldown can pass without waiting a minute.
  await page.clock.install();
  await page.goto('/sign-in');
  const firstCode = await codeMailedBy(stack, email, () => signInOnPage(page, email, PASSWORD));
  await expect(page.getByRole('heading', { level: 1, name: 'Two-step verification' })).toBeVisible();
  await expect(page.getByText('We sent a code to your e-mail address. Enter it below.')).toBeVisible();
  const resend = page.getByRole('button', { name: /Resend code/ });
  await expect(resend).toHaveText(/Resend code in \d+ s/);
  await expect(resend).toBeDisabled();
  await checkPage(page, 'sign-in-mailed-code');

  await page.clock.fastForward('01:01');
  await expect(resend).toHaveText('Resend code');
  const secondCode = await codeMailedBy(stack, email, () => resend.click());
  await expect(resend).toBeDisabled();

  // The new code belongs to the new sign-in: the first one no longer opens it.
  if (firstCode !== secondCode) {
    await typeCode(page, CODE_GROUP, firstCode);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
  }
  await typeCode(page, CODE_GROUP, secondCode);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();
});

test("when a merchant changes the e-mail address, then the new one waits for its code, and becomes the account's once verified, the focus on its field", async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  const newEmail = email.replace('merchant-', 'moved-');
  const details = page.getByRole('region', { name: 'Account Details' });

  await details.getByLabel('E-mail address').fill(newEmail);
  await details.getByLabel('Current password (to change the e-mail address)').fill(PASSWORD);
  const code = await codeMailedBy(stack, newEmail, () => details.getByRole('button', { name: 'Save Changes' }).click());
  const waiting = details.getByText(`${newEmail} is waiting for its code.`, { exact: false });
  await expect(waiting).toContainText(`until then, ${email} stays your address`);
  await expect(details.getByLabel('E-mail address')).toHaveValue(email);
  await expect(details.getByRole('group', { name: CODE_GROUP })).toBeVisible();
  await expect(details.getByRole('button', { name: /Resend code in \d+ s/ })).toBeDisabled();
  await checkPage(page, 'edit-account-pending-email');

  await typeCode(details, CODE_GROUP, code);
  await details.getByRole('button', { name: 'Verify' }).click();
  const emailField = page.getByRole('region', { name: 'Account Details' }).getByLabel('E-mail address');
  await expect(emailField).toHaveValue(newEmail);
  // The Verify button is gone with the pending address: the focus lands on the field, not on the page's top.
  await expect(emailField).toBeFocused();
  await expect(page.getByText(`${newEmail} is waiting for its code.`, { exact: false })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Your e-mail address is now' })).toHaveText(
    `Your e-mail address is now ${newEmail}.`,
  );
  await checkPage(page, 'edit-account-email-verified');
  const account = await accountOf(stack, newEmail);
  expect(account).toMatchObject({ email: newEmail, pending_email: null });
});
