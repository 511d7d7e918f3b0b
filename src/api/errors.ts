/**
 * Every error the API answers is an RFC 9457 problem+json body with a stable `code`. Clients
 * branch on the code; titles are for humans and may change.
 */
export const PROBLEM_TYPES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  code_invalid: { status: 400, title: 'The code is not right' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  invalid_credentials: { status: 401, title: 'The email or password is not right' },
  forbidden: { status: 403, title: 'This action is not allowed' },
  password_expired: { status: 403, title: 'The password has expired and must be changed' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  email_taken: { status: 409, title: 'This email address cannot be used' },
  account_incomplete: { status: 409, title: 'The account information is incomplete' },
  two_factor_conflict: { status: 409, title: 'Another two-factor method is already on' },
  code_expired: { status: 410, title: 'The code has expired or was used up' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be JSON' },
  rate_limited: { status: 429, title: 'Too many attempts' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'A service this request needs is unavailable' },
} as const;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  override name = 'ProblemError';
  readonly status: number;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string = PROBLEM_TYPES[code].title,
    readonly extensions: { errors?: FieldError[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.status = PROBLEM_TYPES[code].status;
  }

  toProblem(): Problem {
    const { retryAfterSeconds: _retryAfter, ...extensions } = this.extensions;
    return {
      type: `https://docs.connectprof.example/problems/${this.code.replaceAll('_', '-')}`,
      title: PROBLEM_TYPES[this.code].title,
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...extensions,
    };
  }
}
