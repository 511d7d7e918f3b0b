import type { Locator, Page } from '@playwright/test';
import type { TestStack } from '../helpers/service-stack';
import { codeIn } from '../helpers/smtp';

export const PASSWORD = 'Str0ng!Pass';

/** A merchant with a verified address, made over the API (the sign-up page has its own test). */
export async function verifiedMerchant(
  stack: TestStack,
  language: 'en' | 'tr' = 'en',
): Promise<{ email: string; password: string }> {
  const email = `merchant-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@shop.example`;
  const headers = { 'Accept-Language': language };
  const registered = await stack.http.request('POST', '/v1/auth/register', {
    body: { email, password: PASSWORD },
    headers,
  });
  if (registered.status !== 201) throw new Error(`sign-up answered ${registered.status}`);
  const login = await stack.http.post('/v1/auth/login', { email, password: PASSWORD });
  // Any language: the mail that carries the six digits.
  const mail = await stack.smtp.waitFor((message) => message.to === email && /\b\d{6}\b/.test(message.text));
  const verified = await stack.http.post(
    '/v1/account/email/verify',
    { code: codeIn(mail) },
    login.body.token as string,
  );
  if (verified.status !== 200) throw new Error(`verification answered ${verified.status}`);
  return { email, password: PASSWORD };
}

/** A verified merchant, signed in on the page (which lands on Edit My Account). */
export async function signedInMerchant(page: Page, stack: TestStack): Promise<{ email: string; password: string }> {
  const merchant = await verifiedMerchant(stack);
  await page.goto('/sign-in');
  await signInOnPage(page, merchant.email, merchant.password);
  await page.getByRole('heading', { level: 1, name: 'Edit My Account' }).waitFor();
  return merchant;
}

/**
 * The code of the next mail to `to` that `action` causes (mails that came before it are not
 * looked at), read from the SMTP server as a person reads the mail.
 */
export async function codeMailedBy(stack: TestStack, to: string, action: () => Promise<unknown>): Promise<string> {
  const before = stack.smtp.messages.length;
  await action();
  const mail = await stack.smtp.waitFor(
    (message) => stack.smtp.messages.indexOf(message) >= before && message.to === to && /\b\d{6}\b/.test(message.text),
  );
  return codeIn(mail);
}

/** Types a code as a paste or autofill does: into the first box, which fills them all. */
export async function typeCode(scope: Page | Locator, group: string, code: string): Promise<void> {
  await scope.getByRole('group', { name: group }).getByLabel('Digit 1 of 6').fill(code);
}

/** Presses Tab from the top of the page until `target` has the focus, as a keyboard user gets there. */
export async function tabTo(page: Page, target: Locator): Promise<void> {
  await page.locator('body').focus();
  for (let presses = 0; presses < 100 && !(await target.evaluate((element) => element.matches(':focus'))); presses++) {
    await page.keyboard.press('Tab');
  }
}

/** The account's row as the service stored it. */
export function accountOf(stack: TestStack, email: string) {
  return stack.database.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
}

export async function accountIdOf(stack: TestStack, email: string): Promise<string> {
  return (await accountOf(stack, email)).id;
}

/** Signs in on the page, with whatever labels the page's language gives the two fields. */
export async function signInOnPage(
  page: Page,
  email: string,
  password: string,
  labels = { email: 'E-mail address', password: 'Password', submit: 'Sign in' },
) {
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.submit }).click();
}

/** The password reset code mailed to `email` (English or Turkish copy), read from the SMTP server. */
export async function resetCodeFor(stack: TestStack, email: string): Promise<string> {
  const mail = await stack.smtp.waitFor(
    (message) => message.to === email && /new password|yeni bir şifre/.test(message.text),
  );
  return codeIn(mail);
}
