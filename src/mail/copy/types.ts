import type { PurgedCounts } from '../../shared/account-closure';
import type { CodePurpose } from '../../shared/workflow-ids';

export interface MailContent {
  subject: string;
  text: string;
}

/**
 * Every mail the service sends, as one language says it. Durations and dates come in as values
 * (from the configuration, never typed into the words) and each language writes them its own way.
 * A new mail is a new entry here, then in every language file: the compiler lists what is missing.
 */
export interface MailCopy {
  verificationCode(input: { code: string; purpose: CodePurpose; ttlMs: number }): MailContent;
  loginCode(input: { code: string; ttlMs: number }): MailContent;
  signupAttempt(): MailContent;
  /** To an address another account asked to move to: it is taken, so no code was sent. */
  addressInUse(): MailContent;
  emailChanged(input: { newEmailMasked: string }): MailContent;
  passwordChanged(): MailContent;
  passwordReset(): MailContent;
  passwordReminder(input: { expiresAt: Date; beforeMs: number }): MailContent;
  passwordExpired(input: { maxAgeMs: number }): MailContent;
  accountClosed(input: { purgeAt: Date }): MailContent;
  accountReactivated(input: { gracePeriodMs: number }): MailContent;
  /**
   * The deletion receipt, to the former address: what the purge deleted, when, and the receipt id
   * the audit trail keeps with the counts (nothing else of the account is left to name it by).
   */
  accountPurged(input: { deleted: PurgedCounts; purgedAt: Date; receiptId: string }): MailContent;
  authenticatorEnabled(): MailContent;
  mailAuthenticationEnabled(): MailContent;
  twoFactorDisabled(): MailContent;
  recoveryCodesReplaced(): MailContent;
  /** Sign-in from a device the account has not used for `unseenForMs`; `device` is e.g. "Chrome on Windows". */
  newDevice(input: { device: string; network: string; at: Date; unseenForMs: number }): MailContent;
  /** The "This wasn't me" paragraph every security mail carries, with its single-use link. */
  lockLinkParagraph(input: { link: string; validForMs: number }): string;
  /** `requestSubject` and `reply` are people's own words, passed on as they are. */
  supportReply(input: { requestSubject: string; reply: string; resolved: boolean }): MailContent;
}
