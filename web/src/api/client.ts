import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type Account = components['schemas']['Account'];
export type Problem = components['schemas']['Problem'];

/**
 * The one typed client of the panel. Same origin as the API: the session travels in the
 * HttpOnly cookie, which the header below asks the login routes to set instead of returning
 * the token to this script.
 */
export const api = createClient<paths>({
  baseUrl: '',
  credentials: 'same-origin',
  headers: { 'X-Session-Transport': 'cookie' },
});

export type FieldError = NonNullable<Problem['errors']>[number];

/** The field errors of a problem (`errors[]` of a validation problem), by field name. */
export function fieldErrors(problem: Problem | undefined): Record<string, FieldError[]> {
  const byField: Record<string, FieldError[]> = {};
  for (const error of problem?.errors ?? []) (byField[error.field] ??= []).push(error);
  return byField;
}
