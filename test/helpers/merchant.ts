import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { Authenticator, scanQrCode } from './authenticator';
import { codeIn, type ReceivedMail } from './smtp';
import type { TestStack } from './stack';

export const STRONG_PASSWORD = 'Str0ng!Pass';

export function uniqueEmail(prefix = 'merchant'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@shop.example`;
}

export { codeIn } from './smtp';

export function mailsTo(stack: TestStack, address: string): ReceivedMail[] {
  return stack.smtp.messages.filter((mail) => mail.to.toLowerCase() === address.toLowerCase());
}

/** Waits for the next verification-code mail to `address` after the `already` seen ones. */
export async function nextCodeMail(stack: TestStack, address: string, already = 0): Promise<ReceivedMail> {
  await stack.smtp.waitFor(() => mailsTo(stack, address).filter((mail) => /code/i.test(mail.subject)).length > already);
  return mailsTo(stack, address).filter((mail) => /code/i.test(mail.subject))[already]!;
}

export interface Merchant {
  email: string;
  password: string;
  token: string;
  accountId: string;
}

/** Signs up and logs in over HTTP; with `verify`, also enters the mailed code. */
export async function signUp(
  stack: TestStack,
  options: { email?: string; password?: string; verify?: boolean } = {},
): Promise<Merchant> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? STRONG_PASSWORD;
  const registered = await stack.http.post('/v1/auth/register', { email, password });
  expect(registered.status).toBe(201);
  const login = await stack.http.post('/v1/auth/login', { email, password });
  expect(login.status).toBe(200);
  const token = login.body.token as string;
  const account = await stack.http.get('/v1/account', token);
  if (options.verify) {
    const code = codeIn(await nextCodeMail(stack, email));
    const verified = await stack.http.post('/v1/account/email/verify', { code }, token);
    expect(verified.status).toBe(200);
  }
  return { email, password, token, accountId: account.body.id };
}

export const COMPLETE_PROFILE = {
  fullName: 'Ayşe Yılmaz',
  tradeName: 'Yılmaz Tekstil Ltd.',
  country: 'TR',
  city: 'İstanbul',
  dateOfBirth: '1985-04-23',
  phone: '+90 212 555 12 12',
};

/** Enrols Google Authenticator as a phone would: scan the QR code, type the code it shows. */
export async function enrolTotp(
  stack: TestStack,
  merchant: Merchant,
): Promise<{ app: Authenticator; recoveryCodes: string[] }> {
  const setup = await stack.http.post('/v1/account/2fa/totp', {}, merchant.token);
  expect(setup.status).toBe(200);
  const scanned = scanQrCode(setup.body.qrCode);
  expect(scanned).toBe(setup.body.otpauthUri);
  const app = new Authenticator(scanned);
  expect(app).toMatchObject({ issuer: 'ConnectProf', secret: setup.body.secret });
  expect(app.label).toBe(`ConnectProf:${merchant.email}`);
  const confirmed = await stack.http.post('/v1/account/2fa/totp/confirm', { code: app.code() }, merchant.token);
  expect(confirmed.status).toBe(200);
  return { app, recoveryCodes: confirmed.body.recoveryCodes };
}
