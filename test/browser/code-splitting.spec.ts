import { expect, test } from './fixtures';
import { signInOnPage, verifiedMerchant } from './merchant';

// Vite names a lazy chunk after its first module: the shared profile rules (src/domain/profile.ts,
// zod and libphonenumber-js) become assets/profile-<hash>.js.
const PROFILE_RULES = /\/assets\/profile-[^/]+\.js$/;

test("when a merchant signs in and edits the details, then Sign in loads only index.html's scripts and the validation arrives on the form's first focus, still marking a bad phone", async ({
  page,
  stack,
}) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  const html = await (await page.request.get('/sign-in', { headers: { accept: 'text/html' } })).text();
  const firstLoad = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  const merchant = await verifiedMerchant(stack);

  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  expect(scripts.sort()).toEqual(firstLoad.sort());

  await signInOnPage(page, merchant.email, merchant.password);
  await expect(page.getByRole('heading', { level: 1, name: 'Edit My Account' })).toBeVisible();
  expect(scripts.filter((script) => PROFILE_RULES.test(script))).toEqual([]);

  const details = page.getByRole('region', { name: 'Account Details' });
  const rules = page.waitForRequest(PROFILE_RULES);
  await details.getByLabel('Name Surname').focus();
  await rules;
  await details.getByLabel('Telephone Number').fill('12');
  await details.getByRole('button', { name: 'Save Changes' }).click();
  await expect(details.getByText('Enter a valid phone number, such as +90 212 555 12 12.')).toBeVisible();
});
