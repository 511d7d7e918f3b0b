import { checkPage, expect, test } from './fixtures';
import { PASSWORD, signedInMerchant, signInOnPage } from './merchant';

// A service configured away from the defaults (90 and 30 days): the panel must say what this one does.
test.use({ stackEnv: { CLOSURE_GRACE_PERIOD: '14d', PASSWORD_MAX_AGE: '60d', EMAIL_CODE_TTL: '15m' } });

test('when the service keeps closed accounts 14 days and passwords 60 days, then Edit My Account says so, in English and in Turkish', async ({
  page,
  stack,
}) => {
  await signedInMerchant(page, stack);
  const password = page.getByRole('region', { name: 'Password Change' });
  await expect(password.getByText(/Your password must be renewed by .+ \(every 60 days\)\./)).toBeVisible();
  const closure = page.getByRole('region', { name: 'Close My Account' });
  const warnings = closure.getByRole('listitem');
  await expect(warnings.filter({ hasText: 'If you sign in again within 14 days' })).toBeVisible();
  await expect(warnings.filter({ hasText: 'permanently deleted 14 days after you close' })).toBeVisible();
  await expect(warnings.filter({ hasText: 'contact our support team within 14 days' })).toBeVisible();
  await expect(closure).not.toContainText('30 days');
  await checkPage(page, 'policies-edit-account');

  await page.getByLabel('Language').selectOption('tr');
  await expect(page.getByRole('heading', { level: 1, name: 'Hesabımı Düzenle' })).toBeVisible();
  const sifre = page.getByRole('region', { name: 'Şifre Değişikliği' });
  await expect(sifre.getByText(/tarihine kadar yenilemelisiniz \(şifreler 60 gün geçerlidir\)\./)).toBeVisible();
  const kapatma = page.getByRole('region', { name: 'Hesabımı Kapat' });
  await expect(
    kapatma.getByRole('listitem').filter({ hasText: '14 gün içinde yeniden giriş yaparsanız' }),
  ).toBeVisible();
  await expect(kapatma.getByRole('listitem').filter({ hasText: 'kapattıktan 14 gün sonra' })).toBeVisible();
  await expect(kapatma.getByRole('listitem').filter({ hasText: 'varsa 14 gün içinde destek' })).toBeVisible();
  await expect(kapatma).not.toContainText('30 gün');
});

test('when mailed codes are valid 15 minutes, then Verify your e-mail says so, in English and in Turkish', async ({
  page,
  stack,
}) => {
  const email = `unverified-${Date.now()}@shop.example`;
  expect((await stack.http.post('/v1/auth/register', { email, password: PASSWORD })).status).toBe(201);
  await page.goto('/sign-in');
  await signInOnPage(page, email, PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Verify your e-mail' })).toBeVisible();
  await expect(
    page.getByText(`We sent a six-digit code to ${email}. Enter it below; it is valid for 15 minutes.`),
  ).toBeVisible();
  await checkPage(page, 'policies-verify-email');

  await page.getByLabel('Language').selectOption('tr');
  await expect(page.getByRole('heading', { level: 1, name: 'E-posta adresinizi doğrulayın' })).toBeVisible();
  await expect(page.getByText('Aşağıya girin; kod 15 dakika geçerlidir.', { exact: false })).toBeVisible();
});
