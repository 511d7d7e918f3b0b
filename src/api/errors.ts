import { type DomainError, ERROR_CODES, type ErrorCode, type FieldError } from '../domain/errors';

/**
 * The one table from the core's error codes to HTTP: every error the API answers is an RFC 9457
 * problem+json body with the code's status and a stable `code`. A new code in
 * src/domain/errors.ts does not compile until it has a row here.
 */
export const PROBLEM_TYPES = {
  validation_failed: { status: 400 },
  malformed_json: { status: 400 },
  code_invalid: { status: 400 },
  invalid_status_transition: { status: 400 },
  unauthenticated: { status: 401 },
  invalid_credentials: { status: 401 },
  forbidden: { status: 403 },
  password_expired: { status: 403 },
  not_found: { status: 404 },
  conflict: { status: 409 },
  email_taken: { status: 409 },
  account_incomplete: { status: 409 },
  two_factor_conflict: { status: 409 },
  code_expired: { status: 410 },
  login_challenge_revoked: { status: 410 },
  account_locked: { status: 403 },
  link_expired: { status: 410 },
  payload_too_large: { status: 413 },
  unsupported_media_type: { status: 415 },
  rate_limited: { status: 429 },
  internal_error: { status: 500 },
  service_unavailable: { status: 503 },
} as const satisfies Record<ErrorCode, { status: number }>;

export type ProblemCode = ErrorCode;
export type { FieldError };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function statusOf(code: ErrorCode): number {
  return PROBLEM_TYPES[code].status;
}

/** The body of the answer; details other than Retry-After's become extension members. */
export function toProblem(error: DomainError): Problem {
  const { retryAfterSeconds: _retryAfter, ...extensions } = error.details;
  return {
    type: `https://docs.connectprof.example/problems/${error.code.replaceAll('_', '-')}`,
    title: ERROR_CODES[error.code],
    status: statusOf(error.code),
    detail: error.message,
    code: error.code,
    ...extensions,
  };
}
