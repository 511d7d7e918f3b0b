import { checkPage, expect, test } from './fixtures';
import { PASSWORD, signInOnPage, verifiedMerchant } from './merchant';

// A browser set to Turkish, as most ConnectProf merchants' are.
test.use({ locale: 'tr-TR' });

test('when a Turkish browser signs in and fills the account details, then every label and message is in Turkish', async ({
  page,
  stack,
}) => {
  const { email } = await verifiedMerchant(stack, 'tr');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Giriş yap' })).toBeVisible();
  await expect(page.getByLabel('Dil')).toHaveValue('tr');
  await checkPage(page, 'sign-in-tr');
  await signInOnPage(page, email, 'wrong-Passw0rd!', {
    email: 'E-posta adresi',
    password: 'Şifre',
    submit: 'Giriş yap',
  });
  await expect(page.getByRole('alert')).toHaveText('E-posta adresi veya şifre hatalı.');
  await signInOnPage(page, email, PASSWORD, { email: 'E-posta adresi', password: 'Şifre', submit: 'Giriş yap' });

  await expect(page.getByRole('heading', { level: 1, name: 'Hesabımı Düzenle' })).toBeVisible();
  const details = page.getByRole('region', { name: 'Hesap Detayları' });
  await details.getByLabel('Ad Soyad').fill('Mehmet Demir');
  await details.getByLabel('Ticari Ünvan').fill('Demir Ticaret A.Ş.');
  await details.getByLabel('Ülke').selectOption({ label: 'Türkiye' });
  await details.getByLabel('Şehir').fill('Ankara');
  const dateOfBirth = details.getByRole('group', { name: 'Doğum Tarihi' });
  await dateOfBirth.getByLabel('Gün').fill('31');
  await dateOfBirth.getByLabel('Ay').fill('1');
  await dateOfBirth.getByLabel('Yıl').fill('1990');
  await details.getByLabel('Telefon Numarası').fill('12');
  await details.getByRole('button', { name: 'Değişiklikleri Kaydet' }).click();
  await expect(details.getByText('Geçerli bir telefon numarası girin, örneğin +90 212 555 12 12.')).toBeVisible();
  await expect(details.getByLabel('Telefon Numarası')).toHaveAttribute('aria-invalid', 'true');

  await details.getByLabel('Telefon Numarası').fill('0312 555 12 12');
  await details.getByRole('button', { name: 'Değişiklikleri Kaydet' }).click();
  await expect(details.getByRole('status')).toHaveText('Değişiklikleriniz kaydedildi.');
  await expect(details.getByLabel('Telefon Numarası')).toHaveValue('+903125551212');
  await checkPage(page, 'edit-account-tr');

  // The switch on the page turns it to English, and the account keeps the choice (mails follow it).
  await page.getByLabel('Dil').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();
  const savedLanguage = () =>
    stack.database.db.selectFrom('accounts').select('language').where('email', '=', email).executeTakeFirstOrThrow();
  await expect.poll(async () => (await savedLanguage()).language).toBe('en');
});
