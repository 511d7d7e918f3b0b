// One function builds each workflow ID and one parses it back. IDs are readable in the Temporal
// UI and unique per account and flow, so "one flow per account at a time" is the server's rule.

export type CodePurpose =
  | 'signup'
  | 'email_change'
  | 'two_factor_email'
  | 'two_factor_disable'
  | 'confirm_closure'
  | 'replace_recovery_codes'
  | 'password_reset';

export type FlowKind =
  | 'email-verification'
  | 'mail-authentication'
  | 'password-reset'
  | 'login-challenge'
  | 'password-rotation'
  | 'account-closure';

/** The address verification flow, shared by sign-up and email change: both verify the account's address. */
export function emailVerificationWorkflowId(accountId: string): string {
  return `email-verification-${accountId}`;
}

/** Enabling mail authentication (two-factor by mail) runs apart, so it never replaces an address check. */
export function mailAuthenticationWorkflowId(accountId: string): string {
  return `mail-authentication-${accountId}`;
}

/** "Forgot password": its own flow, so neither an address check nor a 2FA step can replace it. */
export function passwordResetWorkflowId(accountId: string): string {
  return `password-reset-${accountId}`;
}

/**
 * Where a password reset for an address without an account sends its code: a flow that is never
 * started (the ID comes from the decoy's key, an HMAC of the address), so Temporal answers "not
 * found" after the same call a registered address's reset makes. It names no one.
 */
export function passwordResetDecoyWorkflowId(decoyKey: string): string {
  return `password-reset-decoy-${decoyKey}`;
}

export function codeFlowWorkflowId(accountId: string, purpose: CodePurpose): string {
  if (purpose === 'password_reset') return passwordResetWorkflowId(accountId);
  return purpose === 'two_factor_email' ||
    purpose === 'two_factor_disable' ||
    purpose === 'confirm_closure' ||
    purpose === 'replace_recovery_codes'
    ? mailAuthenticationWorkflowId(accountId)
    : emailVerificationWorkflowId(accountId);
}

export function loginChallengeWorkflowId(challengeId: string): string {
  return `login-challenge-${challengeId}`;
}

export function passwordRotationWorkflowId(accountId: string): string {
  return `password-rotation-${accountId}`;
}

export function accountClosureWorkflowId(accountId: string): string {
  return `account-closure-${accountId}`;
}

const KINDS: FlowKind[] = [
  'email-verification',
  'mail-authentication',
  'password-reset',
  'login-challenge',
  'password-rotation',
  'account-closure',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The flow and the ID it was built from (an account ID, or a challenge ID for logins), or undefined. */
export function parseWorkflowId(workflowId: string): { kind: FlowKind; id: string } | undefined {
  for (const kind of KINDS) {
    const prefix = `${kind}-`;
    if (workflowId.startsWith(prefix)) {
      const id = workflowId.slice(prefix.length);
      return UUID.test(id) ? { kind, id } : undefined;
    }
  }
  return undefined;
}
