import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { DomainError, type FieldError } from '../domain/errors';

/**
 * Parses input at the edge; everything below gets the parsed value. All violations are reported
 * at once, each with the field it concerns and a stable code (a custom issue may carry its own
 * code in `params.code`, as the password policy does).
 */
export function parse<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  const errors = distinct([...nulCharacters(input), ...(result.success ? [] : result.error.issues.map(toFieldError))]);
  if (errors.length === 0 && result.success) return result.data;
  throw new DomainError('validation_failed', 'One or more fields are not valid', { errors });
}

// No body of ours nests beyond four levels; the margin is for clients that wrap. A bound keeps
// every walk over a body (ours, a library's) far from the stack's limit.
export const MAX_JSON_DEPTH = 32;

interface Node {
  value: unknown;
  path: string[];
}

/** Children of a JSON value, with their paths; none for a scalar. */
function childrenOf({ value, path }: Node): Node[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).map(([key, child]) => ({ value: child, path: [...path, key] }));
}

/** How deep the value nests (a scalar is 0), walked without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (!current || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push({ value: child, depth: depth + 1 });
  }
  return deepest;
}

/** Refuses a parsed JSON body that nests deeper than MAX_JSON_DEPTH, before any route walks it. */
export const refuseDeepJson: RequestHandler = (req, _res, next) => {
  if (jsonDepth(req.body) > MAX_JSON_DEPTH) {
    throw new DomainError('validation_failed', 'The request body nests too deeply', {
      errors: [{ field: '(body)', code: 'too_deep', message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
  next();
};

/** PostgreSQL text cannot hold U+0000, and no field of ours has a use for it. Walked without recursion. */
function nulCharacters(input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Node[] = [{ value: input, path: [] }];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (typeof node.value === 'string' && node.value.includes('\u0000')) {
      errors.push({
        field: node.path.join('.') || '(body)',
        code: 'invalid_characters',
        message: 'must not contain NUL characters',
      });
    }
    pending.push(...childrenOf(node).reverse());
  }
  return errors;
}

/** One error per field and code: a NUL is also a control character to the schemas that refuse those. */
function distinct(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.field}\u0000${error.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
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
