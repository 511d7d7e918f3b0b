import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../logger';
import { ProblemError } from '../errors';

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ProblemError('not_found', `No route for ${req.method} ${req.path}`));
};

/** Errors from body-parser carry a `type`; map the ones a client can cause. */
function fromBodyParser(error: { type?: string; status?: number }): ProblemError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new ProblemError('malformed_json');
    case 'entity.too.large':
      return new ProblemError('payload_too_large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ProblemError('unsupported_media_type');
    default:
      return undefined;
  }
}

// Connection-level failures of PostgreSQL (node errno and SQLSTATE class 08, admin shutdown)
// and of Temporal (gRPC UNAVAILABLE, DEADLINE_EXCEEDED): the request may succeed later.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08000', '08001', '08003', '08004', '08006']);
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** True when the error (or one of its causes) says a dependency is out of reach. */
export function isDependencyDown(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return true;
    if (/Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(current.message)) return true;
    if (current instanceof AggregateError && current.errors.some(isDependencyDown)) return true;
  }
  return false;
}

/**
 * The one place errors become responses. Unexpected errors are logged with the request id and
 * answered without any internal detail.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem =
      error instanceof ProblemError
        ? error
        : (fromBodyParser(error as { type?: string }) ??
          (isDependencyDown(error)
            ? new ProblemError('service_unavailable', 'A service this request needs is unreachable; try again shortly', { retryAfterSeconds: 5 })
            : new ProblemError('internal_error')));
    if (problem.status >= 500) {
      // The error's kind and message for the operator; never the request body or headers.
      const err = error instanceof Error ? { type: error.name, message: error.message, code: (error as { code?: unknown }).code, stack: error.stack } : { message: String(error) };
      (req.log ?? logger).error({ err, requestId: req.id }, 'request failed');
    }
    if (problem.extensions.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(problem.extensions.retryAfterSeconds));
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...problem.toProblem(), requestId: String(req.id ?? '') }));
  };
}
