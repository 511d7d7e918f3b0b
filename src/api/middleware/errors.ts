import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError } from '../../domain/errors';
import type { Logger } from '../../logger';
import { dependencyDown, isDatabaseDown } from '../../services/dependency-errors';
import { isTemporalUnavailable } from '../../services/temporal-errors';
import { statusOf, toProblem } from '../errors';

export const notFound: RequestHandler = (req, _res, next) => {
  next(new DomainError('not_found', `No route for ${req.method} ${req.path}`));
};

/** Errors from body-parser carry a `type`; map the ones a client can cause. */
function fromBodyParser(error: { type?: string; status?: number }): DomainError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new DomainError('malformed_json');
    case 'entity.too.large':
      return new DomainError('payload_too_large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError('unsupported_media_type');
    default:
      return undefined;
  }
}

/** The error as the client will see it: a domain error as is, anything else by what it says about our dependencies. */
function asDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  return fromBodyParser(error as { type?: string }) ?? (isDatabaseDown(error) || isTemporalUnavailable(error) ? dependencyDown(error) : new DomainError('internal_error'));
}

/**
 * The one place errors become responses. Unexpected errors are logged with the request id and
 * answered without any internal detail.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const domainError = asDomainError(error);
    const status = statusOf(domainError.code);
    if (status >= 500) {
      // The error's kind and message for the operator; never the request body or headers.
      const cause = domainError.code === 'service_unavailable' && domainError.cause !== undefined ? domainError.cause : error;
      const err = cause instanceof Error ? { type: cause.name, message: cause.message, code: (cause as { code?: unknown }).code, stack: cause.stack } : { message: String(cause) };
      (req.log ?? logger).error({ err, requestId: req.id }, 'request failed');
    }
    if (domainError.details.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(domainError.details.retryAfterSeconds));
    }
    res
      .status(status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...toProblem(domainError), requestId: String(req.id ?? '') }));
  };
}
