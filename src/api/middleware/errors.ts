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

/**
 * The one place errors become responses. Unexpected errors are logged with the request id and
 * answered without any internal detail.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem =
      error instanceof ProblemError
        ? error
        : (fromBodyParser(error as { type?: string }) ?? new ProblemError('internal_error'));
    if (problem.status >= 500) {
      (req.log ?? logger).error({ err: error, requestId: req.id }, 'request failed');
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
