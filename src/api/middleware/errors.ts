import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError } from '../../domain/errors';
import type { Logger } from '../../logger';
import { dependencyDown, isDatabaseDown } from '../../services/dependency-errors';
import { isTemporalUnavailable } from '../../services/temporal-errors';
import { statusOf, toProblem } from '../errors';

export const notFound: RequestHandler = (req, _res, next) => {
  next(new DomainError('not_found', `No route for ${req.method} ${req.path}`));
};

/** Errors of the router and body-parser that a client can cause (body-parser's carry a `type`). */
function fromClientMistake(error: unknown): DomainError | undefined {
  // The router could not percent-decode a path parameter (`/v1/integrations/%ZZ/activate`).
  if (error instanceof URIError) {
    return new DomainError('validation_failed', 'The request path is not valid', {
      errors: [{ field: '(path)', code: 'invalid_encoding', message: 'must be valid percent-encoded UTF-8' }],
    });
  }
  switch ((error as { type?: string } | undefined)?.type) {
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
  return (
    fromClientMistake(error) ??
    (isDatabaseDown(error) || isTemporalUnavailable(error) ? dependencyDown(error) : new DomainError('internal_error'))
  );
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
      const cause =
        domainError.code === 'service_unavailable' && domainError.cause !== undefined ? domainError.cause : error;
      const err =
        cause instanceof Error
          ? { type: cause.name, message: cause.message, code: (cause as { code?: unknown }).code, stack: cause.stack }
          : { message: String(cause) };
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
