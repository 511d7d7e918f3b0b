import type { z } from 'zod';
import { DomainError, type FieldError } from '../domain/errors';

/**
 * Parses input at the edge; everything below gets the parsed value. All violations are reported
 * at once, each with the field it concerns and a stable code (a custom issue may carry its own
 * code in `params.code`, as the password policy does).
 */
export function parse<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  const errors = [...nulCharacters(input), ...(result.success ? [] : result.error.issues.map(toFieldError))];
  if (errors.length === 0 && result.success) return result.data;
  throw new DomainError('validation_failed', 'One or more fields are not valid', { errors });
}

/** PostgreSQL text cannot hold U+0000, and no field of ours has a use for it. */
function nulCharacters(input: unknown, path: string[] = []): FieldError[] {
  if (typeof input === 'string') {
    return input.includes('\u0000')
      ? [{ field: path.join('.') || '(body)', code: 'invalid_characters', message: 'must not contain NUL characters' }]
      : [];
  }
  if (input && typeof input === 'object') {
    return Object.entries(input).flatMap(([key, value]) => nulCharacters(value, [...path, key]));
  }
  return [];
}

function toFieldError(issue: z.core.$ZodIssue): FieldError {
  const params = 'params' in issue ? (issue.params as { code?: string } | undefined) : undefined;
  return {
    field: issue.path.join('.') || '(body)',
    code: params?.code ?? issue.code,
    message: issue.message,
  };
}
