import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/domain/language';
import { type MailContent, type MailCopy, mailsIn } from '../../src/mail/copy';
import { formatDuration } from '../../src/domain/duration';
import { formatCount } from '../../src/mail/copy/format';

const DAY = 86_400_000;

/** Every mail of a language, written with durations and dates no default would produce. */
function everyMail(copy: MailCopy): Record<keyof MailCopy, MailContent> {
  return {
    verificationCode: copy.verificationCode({ code: '123456', purpose: 'signup', ttlMs: 13 * 60_000 }),
    loginCode: copy.loginCode({ code: '123456', ttlMs: 4 * 60_000 }),
    signupAttempt: copy.signupAttempt(),
    addressInUse: copy.addressInUse(),
    emailChanged: copy.emailChanged({ newEmailMasked: 'a***@example.com' }),
    passwordChanged: copy.passwordChanged(),
    passwordReset: copy.passwordReset(),
    passwordReminder: copy.passwordReminder({ expiresAt: new Date('2027-03-05T10:00:00Z'), beforeMs: 3 * DAY }),
    passwordExpired: copy.passwordExpired({ maxAgeMs: 45 * DAY }),
    accountClosed: copy.accountClosed({ purgeAt: new Date('2027-03-05T10:00:00Z') }),
    accountReactivated: copy.accountReactivated({ gracePeriodMs: 17 * DAY }),
    accountPurged: copy.accountPurged({
      deleted: { integrations: 3, products: 1_234_567, orders: 7 },
      purgedAt: new Date('2027-03-05T10:00:00Z'),
      receiptId: '0b0e6c1e-4d7a-4f1c-9a53-2a5b8c7d9e10',
    }),
    authenticatorEnabled: copy.authenticatorEnabled(),
    mailAuthenticationEnabled: copy.mailAuthenticationEnabled(),
    twoFactorDisabled: copy.twoFactorDisabled(),
    recoveryCodesReplaced: copy.recoveryCodesReplaced(),
    newDevice: copy.newDevice({
      device: 'Safari on iOS',
      network: '203.0.113.0/24',
      at: new Date('2027-03-05T10:00:00Z'),
      unseenForMs: 45 * DAY,
    }),
    lockLinkParagraph: {
      subject: '',
      text: copy.lockLinkParagraph({ link: 'https://panel.example/lock?token=abc', validForMs: 5 * DAY }),
    },
    supportReply: copy.supportReply({ requestSubject: 'Orders\r\nBcc: x', reply: 'Done.', resolved: true }),
  };
}

describe('mail copy', () => {
  it.each(LANGUAGES)(
    'when %s mails are written with configured durations, then they state those and no default',
    (language) => {
      const mails = everyMail(mailsIn(language));
      const words = Object.values(mails)
        .map((mail) => `${mail.subject}\n${mail.text}`)
        .join('\n');
      expect(mails.passwordExpired.text).toContain(formatDuration(45 * DAY, language));
      expect(mails.accountReactivated.text).toContain(formatDuration(17 * DAY, language));
      expect(mails.verificationCode.text).toContain(formatDuration(13 * 60_000, language));
      expect(mails.loginCode.text).toContain(formatDuration(4 * 60_000, language));
      expect(mails.passwordReminder.subject).toContain(formatDuration(3 * DAY, language));
      expect(mails.newDevice.text).toContain(formatDuration(45 * DAY, language));
      expect(mails.lockLinkParagraph.text).toContain(formatDuration(5 * DAY, language));
      expect(mails.lockLinkParagraph.text).toContain('https://panel.example/lock?token=abc');
      expect(words).toContain('2027');
      expect(mails.accountPurged.text).toContain(formatCount(1_234_567, language));
      expect(mails.accountPurged.text).toContain('0b0e6c1e-4d7a-4f1c-9a53-2a5b8c7d9e10');
      expect(mails.supportReply.subject).not.toMatch(/[\r\n]/);
      // The defaults of the configuration must never be written into the words.
      expect(words).not.toMatch(/\b(30|90|14|10) (days?|gün|minutes?|dakika)\b/);
    },
  );

  it('when counts are formatted, then each language groups the digits its own way', () => {
    expect(formatCount(1_000_000, 'en')).toBe('1,000,000');
    expect(formatCount(1_000_000, 'tr')).toBe('1.000.000');
  });

  it('when durations are formatted, then each language uses its own words and the largest whole unit', () => {
    expect(formatDuration(30 * DAY, 'en')).toBe('30 days');
    expect(formatDuration(30 * DAY, 'tr')).toBe('30 gün');
    expect(formatDuration(36 * 3_600_000, 'en')).toBe('36 hours');
    expect(formatDuration(60_000, 'en')).toBe('1 minute');
    expect(formatDuration(90_000, 'tr')).toBe('90 saniye');
    expect(formatDuration(1_500, 'en')).toBe('2 seconds');
  });

  it('when the same mail is written in English and Turkish, then the words differ but the code and dates are the same', () => {
    const english = mailsIn('en').loginCode({ code: '654321', ttlMs: 5 * 60_000 });
    const turkish = mailsIn('tr').loginCode({ code: '654321', ttlMs: 5 * 60_000 });
    expect(english.subject).not.toBe(turkish.subject);
    expect(english.text).toContain('654321');
    expect(turkish.text).toContain('654321');
    expect(turkish.text).toContain('5 dakika');
  });
});
