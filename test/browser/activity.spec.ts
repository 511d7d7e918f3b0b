import { recordAudits } from '../../src/db/repositories/audit';
import { checkPage, expect, test } from './fixtures';
import { accountIdOf, signedInMerchant, signInOnPage, tabTo, verifiedMerchant } from './merchant';

const PAGE_SIZE = 20;
const SEEDED = PAGE_SIZE + 5;

test('when the account has more events than a page, then Older events and Newest events page through them by keyboard, the focus staying on the paging', async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  // Each seeded event from its own address, so a row tells which one it is: 10.0.0.25 is the newest.
  const accountId = await accountIdOf(stack, email);
  await recordAudits(
    stack.database.db,
    Array.from({ length: SEEDED }, (_, index) => ({
      accountId,
      type: 'profile_updated' as const,
      context: { ip: `10.0.0.${index + 1}`, userAgent: null },
    })),
  );

  await page.getByRole('link', { name: 'Account activity' }).click();
  const rows = page.getByRole('table').getByRole('row');
  const cell = (ip: string) => page.getByRole('cell', { name: ip, exact: true });
  await expect(cell(`10.0.0.${SEEDED}`)).toBeVisible();
  await expect(rows).toHaveCount(PAGE_SIZE + 1); // the header and a full page
  await expect(cell('10.0.0.5')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Newest events' })).toHaveCount(0);

  const older = page.getByRole('button', { name: 'Older events' });
  await tabTo(page, older);
  await expect(older).toBeFocused();
  await page.keyboard.press('Enter');
  // The rest: the last five seeded, then what signing up and in recorded; no further page.
  await expect(cell('10.0.0.5')).toBeVisible();
  await expect(cell(`10.0.0.${SEEDED}`)).toHaveCount(0);
  await expect(page.getByRole('cell', { name: 'Signed up' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Account details updated' }).first()).toBeVisible();
  await expect(older).toHaveCount(0);
  // The pressed button is gone: the focus is on the way back, not lost to the page.
  const newest = page.getByRole('button', { name: 'Newest events' });
  await expect(newest).toBeFocused();
  await checkPage(page, 'activity-older');

  await newest.focus();
  await page.keyboard.press('Enter');
  await expect(cell(`10.0.0.${SEEDED}`)).toBeVisible();
  await expect(rows).toHaveCount(PAGE_SIZE + 1);
  await expect(newest).toHaveCount(0);
  await expect(older).toBeFocused();
});

test.describe('in Turkish', () => {
  test.use({ locale: 'tr-TR' });

  test('when a Turkish merchant opens Hesap hareketleri, then every event is named in Turkish, one the panel does not know too', async ({
    page,
    stack,
  }) => {
    const { email, password } = await verifiedMerchant(stack, 'tr');
    const accountId = await accountIdOf(stack, email);
    await recordAudits(stack.database.db, [
      { accountId, type: 'password_changed' },
      { accountId, type: 'two_factor_enabled' },
      { accountId, type: 'new_device_sign_in' },
    ]);
    // A newer service may record a type this panel has no label for yet.
    await stack.database.db
      .insertInto('audit_events')
      .values({ account_id: accountId, type: 'future_event' })
      .execute();
    await page.goto('/sign-in');
    await signInOnPage(page, email, password, { email: 'E-posta adresi', password: 'Şifre', submit: 'Giriş yap' });
    await page.getByRole('link', { name: 'Hesap hareketleri' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Hesap hareketleri' })).toBeVisible();
    const table = page.getByRole('table');
    for (const label of [
      'Şifre değiştirildi',
      'İki adımlı doğrulama açıldı',
      'Yeni bir cihazdan giriş yapıldı',
      'Giriş yapıldı',
      'Kayıt olundu',
      'Diğer olay (future_event)',
    ])
      await expect(table.getByRole('cell', { name: label, exact: true }).first()).toBeVisible();
    await expect(table).not.toContainText('password_changed');
    await expect(table).not.toContainText('signup');
    await checkPage(page, 'activity-tr');
  });
});
