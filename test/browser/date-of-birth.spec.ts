import type { Locator } from '@playwright/test';
import { checkPage, expect, test } from './fixtures';
import { accountOf, signedInMerchant } from './merchant';

/** The labels of the date's boxes, in the order the page shows them. */
const boxOrder = (group: Locator) => group.locator('label').allInnerTexts();

// The config's browser is British English: day first, as a British merchant writes a date.
test('when an English page in a British browser asks for the Date of Birth, then it takes Day, Month and Year in boxes, sends YYYY-MM-DD and shows the error next to them', async ({
  page,
  stack,
}) => {
  const { email } = await signedInMerchant(page, stack);
  const details = page.getByRole('region', { name: 'Account Details' });
  const date = details.getByRole('group', { name: 'Date of Birth' });
  expect(await boxOrder(date)).toEqual(['Day', 'Month', 'Year']);
  await expect(date).toHaveAccessibleDescription(/For example, 23\/04\/1985/);
  // The password's renewal date, written as a Briton reads it: 24 February 2027.
  await expect(page.getByRole('region', { name: 'Password Change' })).toContainText(
    /renewed by \d{1,2} [A-Z][a-z]+ \d{4} /,
  );

  // No 30 February: the mark lands on the date's boxes, with the reason under them.
  await date.getByLabel('Month').fill('2');
  await date.getByLabel('Day').fill('30');
  await date.getByLabel('Year').fill('1985');
  await details.getByRole('button', { name: 'Save Changes' }).click();
  await expect(date.getByText('Enter a real date.')).toBeVisible();
  await expect(date).toHaveAccessibleDescription(/Enter a real date\./);
  for (const box of ['Month', 'Day', 'Year'])
    await expect(date.getByLabel(box)).toHaveAttribute('aria-invalid', 'true');
  await checkPage(page, 'date-of-birth-error');

  await date.getByLabel('Month').fill('4');
  await date.getByLabel('Day').fill('23');
  await details.getByRole('button', { name: 'Save Changes' }).click();
  await expect(details.getByRole('status')).toHaveText('Your changes are saved.');
  expect((await accountOf(stack, email)).date_of_birth).toBe('1985-04-23');

  await page.reload();
  await expect(date.getByLabel('Month')).toHaveValue('04');
  await expect(date.getByLabel('Day')).toHaveValue('23');
  await expect(date.getByLabel('Year')).toHaveValue('1985');
});

test.describe('in an American browser', () => {
  test.use({ locale: 'en-US' });
  test('when an English page in an American browser asks for the Date of Birth, then it takes Month, Day and Year, and writes dates month first', async ({
    page,
    stack,
  }) => {
    await signedInMerchant(page, stack);
    const date = page.getByRole('region', { name: 'Account Details' }).getByRole('group', { name: 'Date of Birth' });
    expect(await boxOrder(date)).toEqual(['Month', 'Day', 'Year']);
    await expect(date).toHaveAccessibleDescription(/For example, 04\/23\/1985/);
    // The password's renewal date, written as an American reads it: February 24, 2027.
    await expect(page.getByRole('region', { name: 'Password Change' })).toContainText(
      /renewed by [A-Z][a-z]+ \d{1,2}, \d{4} /,
    );
  });
});

test.describe('in Turkish', () => {
  // The browser stays British English (the config's locale): the page's language decides the order.
  test('when the page is in Turkish, then the Date of Birth takes Gün, Ay and Yıl in that order, whatever the browser', async ({
    page,
    stack,
  }) => {
    const { email } = await signedInMerchant(page, stack);
    await page.getByLabel('Language').selectOption('tr');
    const date = page.getByRole('region', { name: 'Hesap Detayları' }).getByRole('group', { name: 'Doğum Tarihi' });
    expect(await boxOrder(date)).toEqual(['Gün', 'Ay', 'Yıl']);
    await expect(date).toHaveAccessibleDescription(/Örneğin 23\.04\.1985/);
    await date.getByLabel('Gün').fill('31');
    await date.getByLabel('Ay').fill('1');
    await date.getByLabel('Yıl').fill('1990');
    await page.getByRole('button', { name: 'Değişiklikleri Kaydet' }).click();
    await expect(page.getByRole('region', { name: 'Hesap Detayları' }).getByRole('status')).toHaveText(
      'Değişiklikleriniz kaydedildi.',
    );
    expect((await accountOf(stack, email)).date_of_birth).toBe('1990-01-31');
  });
});
