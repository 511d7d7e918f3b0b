/**
 * The errors of the core, in one map of stable codes (better-auth keeps its error codes the same
 * way). Services, activities and domain rules throw a DomainError with one of these codes and
 * the details a client can act on; only src/api/ knows which HTTP status each code becomes.
 * Clients branch on the code; the messages are for humans and may change.
 */
export const ERROR_CODES = {
  validation_failed: 'The request is not valid',
  malformed_json: 'The request body is not valid JSON',
  code_invalid: 'The code is not right',
  invalid_status_transition: 'A support request cannot move back to an earlier status',
  unauthenticated: 'Authentication is required',
  invalid_credentials: 'The email or password is not right',
  forbidden: 'This action is not allowed',
  password_expired: 'The password has expired and must be changed',
  not_found: 'Not found',
  conflict: 'The request conflicts with the current state',
  email_taken: 'This email address cannot be used',
  account_incomplete: 'The account information is incomplete',
  two_factor_conflict: 'Another two-factor method is already on',
  code_expired: 'The code has expired or was used up',
  login_challenge_revoked: 'The sign-in was ended by a password change; sign in again',
  account_locked: 'The account is locked: reset the password to sign in again',
  link_expired: 'The link has expired or was already used',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'The request body must be JSON',
  rate_limited: 'Too many attempts',
  internal_error: 'Something went wrong on our side',
  service_unavailable: 'A service this request needs is unavailable',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One invalid input field; `code` is stable (e.g. a password policy code such as `too_short`). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** What a caller can act on, beside the code. */
export interface ErrorDetails {
  /** Every invalid field at once (validation_failed). */
  errors?: FieldError[];
  /** Wrong tries left on a code (code_invalid). */
  triesLeft?: number;
  /** When to try again (rate_limited, service_unavailable). */
  retryAfterSeconds?: number;
  /** Profile fields still to fill in (account_incomplete). */
  missing?: string[];
  [detail: string]: unknown;
}

export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
