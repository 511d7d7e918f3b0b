import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { Authenticator } from '../helpers/authenticator';
import { codeIn } from '../helpers/smtp';
import { checkPage, expect, test } from './fixtures';
import { PASSWORD, signInOnPage, typeCode } from './merchant';

const NEW_PASSWORD = 'N3w&Better!';

/** What a phone's camera does: reads the QR code as it is drawn on the screen. */
async function scanQrOnScreen(page: Page): Promise<string> {
  const image = page.getByRole('img', { name: 'QR code to scan with Google Authenticator' });
  const png = PNG.sync.read(await image.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!decoded) throw new Error('the QR code on the page could not be read');
  return decoded.data;
}

test('when a merchant goes through the help article in the panel, then every step works as a person does it', async ({
  page,
  stack,
}) => {
  const email = `journey-${Date.now()}@shop.example`;
  const mailsTo = () => stack.smtp.messages.filter((mail) => mail.to === email);

  // Sign up, then the code from the mail.
  await page.goto('/sign-up');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('heading', { name: 'Verify your e-mail' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Resend code in \d+ s/ })).toBeDisabled();
  await checkPage(page, 'verify-email');
  const verification = await stack.smtp.waitFor((mail) => mail.to === email && /code/i.test(mail.subject));
  await typeCode(page, 'Code from the e-mail', codeIn(verification));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();

  // Support is closed until the account information is complete; the form says what is missing.
  await page.getByRole('link', { name: 'Support' }).click();
  const missing = page.getByRole('list', { name: /complete your account information first/ });
  for (const field of ['Name Surname', 'Trade Name', 'Country', 'City', 'Date of Birth', 'Telephone Number']) {
    await expect(missing.getByRole('link', { name: field })).toBeVisible();
  }
  await page.getByLabel('Subject').fill('Trendyol orders are not arriving');
  await page.getByLabel('Message').fill('Since yesterday no order reaches the panel.');
  await page.getByRole('button', { name: 'Open request' }).click();
  await expect(page.getByRole('alert')).toContainText('Your account information is incomplete.');
  await checkPage(page, 'support-incomplete');

  // The link leads to the field; fill the details and save.
  await missing.getByRole('link', { name: 'Name Surname' }).click();
  const details = page.getByRole('region', { name: 'Account Details' });
  await details.getByLabel('Name Surname').fill('Ayşe Yılmaz');
  await details.getByLabel('Trade Name').fill('Yılmaz Tekstil Ltd.');
  await details.getByLabel('Country').selectOption('TR');
  await details.getByLabel('City').fill('İstanbul');
  const dateOfBirth = details.getByRole('group', { name: 'Date of Birth' });
  await dateOfBirth.getByLabel('Day').fill('23');
  await dateOfBirth.getByLabel('Month').fill('4');
  await dateOfBirth.getByLabel('Year').fill('1985');
  await details.getByLabel('Telephone Number').fill('+90 212 555 12 12');
  await details.getByRole('button', { name: 'Save Changes' }).click();
  await expect(details.getByRole('status')).toHaveText('Your changes are saved.');
  await expect(details.getByLabel('Telephone Number')).toHaveValue('+902125551212');

  // Now the request opens.
  await page.getByRole('link', { name: 'Support' }).click();
  await expect(missing).toHaveCount(0);
  await page.getByLabel('Subject').fill('Trendyol orders are not arriving');
  await page.getByLabel('Message').fill('Since yesterday no order reaches the panel.');
  await page.getByRole('button', { name: 'Open request' }).click();
  await expect(page.getByRole('status')).toHaveText('Your request is open. Our support team will answer by e-mail.');
  await expect(page.getByRole('listitem').filter({ hasText: 'Trendyol orders are not arriving' })).toBeVisible();
  await checkPage(page, 'support');

  // Google Authenticator: scan the QR code drawn on the page, type what the phone shows.
  await page.getByRole('link', { name: 'Edit My Account' }).click();
  const totp = page.getByRole('region', { name: 'Google Authenticator' });
  await totp.getByRole('button', { name: 'Scan QR code' }).click();
  await expect(totp.getByText(/Verify before the setup expires: \d+:\d\d left/)).toBeVisible();
  const phone = new Authenticator(await scanQrOnScreen(page));
  expect(phone.label).toContain(email);
  await checkPage(page, 'edit-account-totp-setup');
  await typeCode(page, 'Code from Google Authenticator', phone.code());
  await totp.getByRole('button', { name: 'Verify' }).click();
  const recoveryCodes = totp.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(recoveryCodes).toHaveCount(10);
  const [firstRecoveryCode, secondRecoveryCode] = await recoveryCodes.allInnerTexts();
  await expect(totp.getByText('Google Authenticator is on.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Mail Authentication' })).toContainText(
    'Google Authenticator is on. Turn it off to use mail authentication instead.',
  );

  // Sign out, sign in with the next code (the one just used is never accepted twice).
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signInOnPage(page, email, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  await checkPage(page, 'sign-in-second-step');
  await typeCode(page, 'Code from Google Authenticator', phone.code(1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();

  // Password change: every broken rule is flagged before anything is sent.
  const password = page.getByRole('region', { name: 'Password Change' });
  await password.getByLabel('Old Password').fill(PASSWORD);
  await password.getByLabel('New Password', { exact: true }).fill('abc');
  await password.getByLabel('New Password (again)').fill('abd');
  const rules = password.getByRole('list', { name: 'Your password must have' });
  for (const rule of [
    '8 to 20 characters',
    'an upper-case letter',
    'a digit',
    'a special character',
    'both new passwords the same',
  ]) {
    await expect(rules.getByRole('listitem').filter({ hasText: rule })).toContainText('not met');
  }
  await expect(rules.getByRole('listitem').filter({ hasText: 'a lower-case letter' })).toContainText(': met');
  await password.getByRole('button', { name: 'Change Password' }).click();
  await expect(password.getByLabel('New Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(password.getByLabel('New Password (again)')).toHaveAttribute('aria-invalid', 'true');
  await expect(password.getByText('Must contain an upper-case letter.')).toBeVisible();
  await password.getByLabel('New Password', { exact: true }).fill(NEW_PASSWORD);
  await password.getByLabel('New Password (again)').fill(NEW_PASSWORD);
  await expect(rules.getByText('not met')).toHaveCount(0);
  await password.getByRole('button', { name: 'Change Password' }).click();
  await expect(password.getByRole('status')).toHaveText('Your password is changed.');

  // Close the account: the counts of what goes, two boxes, then the button.
  const accountId = (
    await stack.database.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow()
  ).id;
  await seedDemoData(stack.database.db, accountId, { integrations: 2, products: 3, orders: 4 });
  await page.reload();
  const closure = page.getByRole('region', { name: 'Close My Account' });
  await expect(closure.getByText('To be deleted: 2 integrations, 3 products and 4 orders.')).toBeVisible();
  await checkPage(page, 'edit-account');
  await closure.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await closure.getByLabel('Two-factor code').fill(firstRecoveryCode!);
  const closeButton = closure.getByRole('button', { name: 'Close My Account' });
  await expect(closeButton).toBeDisabled();
  await closure.getByRole('checkbox', { name: 'I have carefully read and approve the above warnings' }).check();
  await expect(closeButton).toBeDisabled();
  await closure.getByRole('checkbox', { name: 'Delete my account and all my data' }).check();
  await closeButton.click();
  await expect(page.getByRole('heading', { name: 'Your account is closed' })).toBeVisible();
  await expect(page.getByText(/will be permanently deleted on/)).toBeVisible();
  await checkPage(page, 'closed');

  // Signing in within the grace period reactivates the account; integrations stay off.
  await page.getByRole('link', { name: 'Sign in' }).click();
  await signInOnPage(page, email, NEW_PASSWORD);
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByLabel('Recovery code').fill(secondRecoveryCode!);
  await page.getByRole('button', { name: 'Verify' }).click();
  const banner = page.getByRole('status').filter({ hasText: 'your account has been reactivated' });
  await expect(banner).toBeVisible();
  await checkPage(page, 'reactivated');
  await banner.getByRole('link', { name: 'Go to Integrations' }).click();
  await expect(page.getByRole('heading', { name: 'Integrations' })).toBeVisible();
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(page.getByRole('cell', { name: 'Off' })).toHaveCount(2);
  await page.getByRole('button', { name: 'Turn on Trendyol store 1' }).click();
  await expect(page.getByRole('button', { name: 'Turn off Trendyol store 1' })).toBeVisible();
  await checkPage(page, 'integrations');

  await page.getByRole('link', { name: 'Account activity' }).click();
  await expect(page.getByRole('heading', { name: 'Account activity' })).toBeVisible();
  await expect(page.getByRole('table').getByRole('row').nth(1)).toBeVisible();
  await checkPage(page, 'activity');
  expect(mailsTo().length).toBeGreaterThan(0);
});
