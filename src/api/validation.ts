import type { z } from 'zod';
import { type FieldError, ProblemError } from './errors';

/**
 * Parses input at the edge; everything below gets the parsed value. All violations are reported
 * at once, each with the field it concerns and a stable code (a custom issue may carry its own
 * code in `params.code`, as the password policy does).
 */
export function parse<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ProblemError('validation_failed', 'One or more fields are not valid', {
    errors: result.error.issues.map(toFieldError),
  });
}

function toFieldError(issue: z.core.$ZodIssue): FieldError {
  const params = 'params' in issue ? (issue.params as { code?: string } | undefined) : undefined;
  return {
    field: issue.path.join('.') || '(body)',
    code: params?.code ?? issue.code,
    message: issue.message,
  };
}
