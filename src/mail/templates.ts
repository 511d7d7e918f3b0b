import type { CodePurpose } from '../shared/workflow-ids';

// Every mail the service sends, in one place. Plain text: it renders everywhere and carries no
// tracking.

export interface MailContent {
  subject: string;
  text: string;
}

const SIGNATURE = '\n\n— ConnectProf';

function minutes(ms: number): string {
  const value = Math.max(1, Math.round(ms / 60_000));
  return `${value} minute${value === 1 ? '' : 's'}`;
}

export function verificationCodeMail(input: { code: string; purpose: CodePurpose; ttlMs: number }): MailContent {
  const why = {
    signup: 'to verify the email address of your new ConnectProf account',
    email_change: 'to confirm this address as the new email of your ConnectProf account',
    two_factor_email: 'to turn on mail authentication for your ConnectProf account',
    two_factor_disable: 'to turn off two-factor authentication for your ConnectProf account',
    confirm_closure: 'to confirm that you want to close your ConnectProf account',
    replace_recovery_codes: 'to confirm that you want new recovery codes for your ConnectProf account',
    password_reset: 'to choose a new password for your ConnectProf account',
  }[input.purpose];
  return {
    subject: `Your ConnectProf verification code: ${input.code}`,
    text: `Enter this code ${why}:\n\n    ${input.code}\n\nIt expires in ${minutes(input.ttlMs)}. If you did not ask for it, ignore this mail.${SIGNATURE}`,
  };
}

export function loginCodeMail(input: { code: string; ttlMs: number }): MailContent {
  return {
    subject: `Your ConnectProf sign-in code: ${input.code}`,
    text: `Enter this code to finish signing in:\n\n    ${input.code}\n\nIt expires in ${minutes(input.ttlMs)}. If this was not you, change your password.${SIGNATURE}`,
  };
}

export function signupAttemptMail(): MailContent {
  return {
    subject: 'Someone tried to create a ConnectProf account with your address',
    text: `An account already exists for this address, so no new one was created. If this was you, sign in instead or reset your password. If not, you can ignore this mail.${SIGNATURE}`,
  };
}

export function emailChangedMail(input: { newEmailMasked: string }): MailContent {
  return {
    subject: 'The email address of your ConnectProf account was changed',
    text: `The email of your account is now ${input.newEmailMasked}. If you did not make this change, contact support at once.${SIGNATURE}`,
  };
}

export function noticeMail(subject: string, body: string): MailContent {
  return { subject, text: `${body}${SIGNATURE}` };
}

/** `m***@example.com`: enough for the owner to recognise, too little to harvest. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export function supportReplyMail(input: { requestSubject: string; reply: string; resolved: boolean }): MailContent {
  // The subject is the merchant's own text: one line, so it cannot bend the mail's headers.
  const subject = input.requestSubject.replace(/\s+/g, ' ').trim();
  const closing = input.resolved
    ? 'We have marked your request as resolved. If you need more help, open a new request from the Support page.'
    : 'You can read the whole conversation on the Support page of your ConnectProf panel.';
  return {
    subject: `Re: ${subject}`,
    text: `Our support team answered your request "${subject}":\n\n${input.reply}\n\n${closing}${SIGNATURE}`,
  };
}
