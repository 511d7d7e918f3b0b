import { formatDuration } from '../../domain/duration';
import { formatCount, formatDate, oneLine } from './format';
import type { MailContent, MailCopy } from './types';

// English. Plain text: it renders everywhere and carries no tracking.

const mail = (subject: string, body: string): MailContent => ({ subject, text: `${body}\n\n— ConnectProf` });
const duration = (ms: number) => formatDuration(ms, 'en');
const date = (at: Date) => formatDate(at, 'en');
const count = (n: number) => formatCount(n, 'en');

const CODE_PURPOSES = {
  signup: 'to verify the email address of your new ConnectProf account',
  email_change: 'to confirm this address as the new email of your ConnectProf account',
  two_factor_email: 'to turn on mail authentication for your ConnectProf account',
  two_factor_disable: 'to turn off two-factor authentication for your ConnectProf account',
  confirm_closure: 'to confirm that you want to close your ConnectProf account',
  replace_recovery_codes: 'to confirm that you want new recovery codes for your ConnectProf account',
  password_reset: 'to choose a new password for your ConnectProf account',
};

export const en: MailCopy = {
  verificationCode: ({ code, purpose, ttlMs }) =>
    mail(
      `Your ConnectProf verification code: ${code}`,
      `Enter this code ${CODE_PURPOSES[purpose]}:\n\n    ${code}\n\nIt expires in ${duration(ttlMs)}. If you did not ask for it, ignore this mail.`,
    ),
  loginCode: ({ code, ttlMs }) =>
    mail(
      `Your ConnectProf sign-in code: ${code}`,
      `Enter this code to finish signing in:\n\n    ${code}\n\nIt expires in ${duration(ttlMs)}. If this was not you, change your password.`,
    ),
  signupAttempt: () =>
    mail(
      'Someone tried to create a ConnectProf account with your address',
      'An account already exists for this address, so no new one was created. If this was you, sign in instead or reset your password. If not, you can ignore this mail.',
    ),
  addressInUse: () =>
    mail(
      'Someone tried to move another ConnectProf account to your address',
      'Your address is already the email of a ConnectProf account, so it was not added to another one and no code was sent. If this was you, sign in with this address instead. If not, you can ignore this mail.',
    ),
  emailChanged: ({ newEmailMasked }) =>
    mail(
      'The email address of your ConnectProf account was changed',
      `The email of your account is now ${newEmailMasked}. If you did not make this change, contact support at once.`,
    ),
  passwordChanged: () =>
    mail(
      'Your ConnectProf password was changed',
      'Your password was just changed and every other session was signed out. If this was not you, contact support at once.',
    ),
  passwordReset: () =>
    mail(
      'Your ConnectProf password was reset',
      'The password of your account was just reset with a code mailed to this address, and every session was signed out.',
    ),
  passwordReminder: ({ expiresAt, beforeMs }) =>
    mail(
      `Your ConnectProf password expires in ${duration(beforeMs)}`,
      `Your password expires on ${date(expiresAt)}. Change it under Settings > Edit My Account > Password Change before then; an expired password must be changed at the next sign-in.`,
    ),
  passwordExpired: ({ maxAgeMs }) =>
    mail(
      'Your ConnectProf password has expired',
      `Your password is more than ${duration(maxAgeMs)} old. At your next sign-in you will be asked to choose a new one before you can continue.`,
    ),
  accountClosed: ({ purgeAt }) =>
    mail(
      'Your ConnectProf account is closed',
      `Your account is closed and all its integrations are off. Your products, orders and integrations will be deleted for good on ${date(purgeAt)}.\n\nChanged your mind? Sign in before then and your account is reactivated at once (turn your integrations back on one by one). Need data back? Contact our support team before that date.`,
    ),
  accountReactivated: ({ gracePeriodMs }) =>
    mail(
      'Your ConnectProf account is active again',
      `You signed in within ${duration(gracePeriodMs)} of closing your account, so it is active again and nothing was deleted. Your integrations are still off: turn each one back on under Integrations.`,
    ),
  accountPurged: ({ deleted, purgedAt, receiptId }) =>
    mail(
      'Your ConnectProf account has been deleted',
      `As announced, your ConnectProf account was permanently deleted on ${date(purgedAt)}, with everything it held:\n\n    Integrations: ${count(deleted.integrations)}\n    Products: ${count(deleted.products)}\n    Orders: ${count(deleted.orders)}\n    The account itself, with its profile, sessions and sign-in settings\n\nReceipt id: ${receiptId}\n\nKeep this mail as proof of the deletion and quote the receipt id if you write to us about it. We keep only the receipt id and these counts, with nothing that names you; this mail is not kept either.`,
    ),
  authenticatorEnabled: () =>
    mail(
      'Google Authenticator is on',
      'From now on, signing in to ConnectProf asks for the code from your authenticator app.',
    ),
  mailAuthenticationEnabled: () =>
    mail('Mail authentication is on', 'From now on, signing in to ConnectProf asks for a code sent to this address.'),
  twoFactorDisabled: () =>
    mail(
      'Two-factor authentication is off',
      'Signing in to ConnectProf no longer asks for a second factor. If this was not you, change your password and contact support.',
    ),
  supportReply: ({ requestSubject, reply, resolved }) => {
    const subject = oneLine(requestSubject);
    const closing = resolved
      ? 'We have marked your request as resolved. If you need more help, open a new request from the Support page.'
      : 'You can read the whole conversation on the Support page of your ConnectProf panel.';
    return mail(`Re: ${subject}`, `Our support team answered your request "${subject}":\n\n${reply}\n\n${closing}`);
  },
  newDevice: ({ device, network, at, unseenForMs }) =>
    mail(
      'New sign-in to your ConnectProf account',
      `Your account was just signed in to from a device it has not used in the last ${duration(unseenForMs)}: ${oneLine(device)}, network ${network}, on ${date(at)}.`,
    ),
  lockLinkParagraph: ({ link, validForMs }) =>
    `This wasn't me: if you did not do this, lock your account with this link (valid for ${duration(validForMs)}, once). It signs out every session, undoes an email change of that time, and asks for a password reset before the next sign-in:\n\n    ${link}`,
  recoveryCodesReplaced: () =>
    mail(
      'Your ConnectProf recovery codes were replaced',
      'A new set of recovery codes was made for your account; the old codes no longer work.',
    ),
};
