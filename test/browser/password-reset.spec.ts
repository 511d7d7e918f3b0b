import type { Page } from '@playwright/test';
import { checkPage, expect, test } from './fixtures';
import { PASSWORD, resetCodeFor, signInOnPage, verifiedMerchant } from './merchant';

const NEW_PASSWORD = 'Reset&Fresh42';

/** Presses Tab until `target` has the focus (at most 20 times), as a keyboard user moves on. */
async function tabTo(page: Page, target: ReturnType<Page['getByLabel']>) {
  for (let presses = 0; presses < 20 && !(await target.evaluate((element) => element.matches(':focus'))); presses++)
    await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
}

test.describe('forgot password', () => {
  test('when a merchant resets a forgotten password with the keyboard alone, then the mailed code, a weak password flagged and the new password work, and the old one is refused', async ({
    page,
    stack,
  }) => {
    const { email } = await verifiedMerchant(stack);
    await page.goto('/sign-in');
    const forgot = page.getByRole('link', { name: 'Forgot your password?' });
    await tabTo(page, page.getByLabel('E-mail address'));
    await page.keyboard.type(email);
    await tabTo(page, forgot);
    await page.keyboard.press('Enter');

    await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
    // The address typed on Sign in comes along.
    await expect(page.getByLabel('E-mail address')).toHaveValue(email);
    await checkPage(page, 'password-reset');
    await page.getByLabel('E-mail address').focus();
    await page.keyboard.press('Enter');

    const sent = page.getByRole('status');
    await expect(sent).toHaveText(
      `If ${email} belongs to an account, a code to reset its password is on its way. Enter it below with your new password.`,
    );
    await expect(page.getByRole('button', { name: /Resend code in \d+ s/ })).toBeDisabled();
    // The first box has the focus: the digits are typed box after box.
    await expect(page.getByLabel('Digit 1 of 6')).toBeFocused();
    await page.keyboard.type(await resetCodeFor(stack, email));
    const newPassword = page.getByLabel('New Password', { exact: true });
    await tabTo(page, newPassword);
    await page.keyboard.type('weakpass');
    await page.keyboard.press('Tab');
    await page.keyboard.type('weakpass');
    const rules = page.getByRole('list', { name: 'Your password must have' });
    await expect(rules.getByRole('listitem').filter({ hasText: 'an upper-case letter' })).toContainText('not met');
    await page.keyboard.press('Enter');
    await expect(newPassword).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('Must contain an upper-case letter.')).toBeVisible();
    await expect(page.getByText('Must contain a digit.')).toBeVisible();
    await checkPage(page, 'password-reset-code');

    await newPassword.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(NEW_PASSWORD);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(NEW_PASSWORD);
    await expect(rules.getByText('not met')).toHaveCount(0);
    await page.keyboard.press('Enter');

    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText(
      'Your password was reset and every session of your account was signed out. Sign in with the new password.',
    );
    await checkPage(page, 'sign-in-after-reset');
    await signInOnPage(page, email, PASSWORD);
    await expect(page.getByRole('alert')).toHaveText('The e-mail address or password is not right.');
    await signInOnPage(page, email, NEW_PASSWORD);
    await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();
  });

  test('when an address has no account, then the page answers as for any other and moves on to the code', async ({
    page,
  }) => {
    const email = `nobody-${Date.now()}@shop.example`;
    await page.goto('/password-reset');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.getByRole('status')).toHaveText(
      `If ${email} belongs to an account, a code to reset its password is on its way. Enter it below with your new password.`,
    );
    await expect(page.getByRole('group', { name: 'Code from the e-mail' })).toBeVisible();
  });
});

test.describe('forgot password in Turkish', () => {
  test.use({ locale: 'tr-TR' });

  test('when a Turkish browser resets a password with a wrong code, then the page says so in Turkish with the tries left', async ({
    page,
    stack,
  }) => {
    const { email } = await verifiedMerchant(stack, 'tr');
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Şifrenizi mi unuttunuz?' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Şifrenizi sıfırlayın' })).toBeVisible();
    await checkPage(page, 'password-reset-tr');
    await page.getByLabel('E-posta adresi').fill(email);
    await page.getByRole('button', { name: 'Kod gönder' }).click();
    await expect(page.getByRole('status')).toContainText('şifreyi sıfırlamak için bir kod yola çıktı');

    const code = await resetCodeFor(stack, email);
    const wrong = code === '000000' ? '111111' : '000000';
    const digits = page.getByRole('group', { name: 'E-postadaki kod' });
    await digits.getByRole('textbox').first().fill(wrong);
    await page.getByLabel('Yeni Şifre', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Yeni Şifre (tekrar)').fill('Reset&Fresh43');
    await page.getByRole('button', { name: 'Şifreyi sıfırla' }).click();
    await expect(page.getByLabel('Yeni Şifre (tekrar)')).toHaveAttribute('aria-invalid', 'true');
    await page.getByLabel('Yeni Şifre (tekrar)').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Şifreyi sıfırla' }).click();
    await expect(page.getByRole('alert')).toHaveText(/^Kod hatalı\. \d deneme hakkınız kaldı\.$/);
    await checkPage(page, 'password-reset-wrong-code-tr');

    // Empty boxes first: typing into a filled box keeps its digit apart from what is typed.
    for (const box of await digits.getByRole('textbox').all()) await box.fill('');
    await digits.getByRole('textbox').first().fill(code);
    await page.getByRole('button', { name: 'Şifreyi sıfırla' }).click();
    await expect(page.getByRole('status')).toHaveText(
      'Şifreniz sıfırlandı ve hesabınızın tüm oturumları kapatıldı. Yeni şifrenizle giriş yapın.',
    );
  });
});
