import { checkPage, expect, test } from './fixtures';
import { signedInMerchant } from './merchant';

// A service configured away from the defaults (90 and 30 days): the panel must say what this one does.
test.use({ stackEnv: { CLOSURE_GRACE_PERIOD: '14d', PASSWORD_MAX_AGE: '60d' } });

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
