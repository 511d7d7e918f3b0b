import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/db/repositories/accounts';
import { signUp, type Merchant } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

// Input an attacker or a broken client sends: it must be a 4xx problem+json on every route,
// never a 500. The routes come from the service's own OpenAPI document, so a new route is
// covered the day it is documented.

let stack: TestStack;
let agent: Merchant;
let operations: Array<{ method: string; path: string; parameters: Array<{ name: string; in: string }> }>;
beforeAll(async () => {
  stack = await startStack();
  agent = await signUp(stack);
  await grantRole(stack.database.db, agent.accountId, 'support');
  const document = (await stack.http.get('/openapi.json')).body as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
    })),
  );
});
afterAll(() => stack?.stop());

const NESTING = 2_000;
const deepArrays = `${'['.repeat(NESTING)}${']'.repeat(NESTING)}`;
const deepObjects = `${'{"a":'.repeat(NESTING)}1${'}'.repeat(NESTING)}`;
const deepInField = `{"email":${deepArrays},"password":${deepArrays}}`;

/** A sample value for a path parameter that would pass its schema. */
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';
const withParams = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);
const isBodyMethod = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);

describe('deeply nested JSON', () => {
  it('when any route gets 2,000 nested arrays or objects (about 4 kB), then 400 validation_failed too_deep, never a 5xx', async () => {
    const routes = operations.filter(
      (operation) => isBodyMethod(operation.method) && !operation.path.startsWith('/codec'),
    );
    expect(routes.length).toBeGreaterThan(15);
    // A session of its own: were logout to read the body as usual, it would end this one.
    const { token } = await signUp(stack);
    const failures: string[] = [];
    for (const { method, path } of routes) {
      for (const rawBody of [deepArrays, deepObjects, deepInField]) {
        const response = await stack.http.request(method, withParams(path, SAMPLE_ID), { rawBody, token });
        const fine =
          response.status === 400 &&
          response.headers.get('content-type')?.includes('application/problem+json') &&
          response.body.errors?.[0]?.code === 'too_deep';
        if (!fine)
          failures.push(
            `${method} ${path} ${rawBody.slice(0, 12)}… → ${response.status} ${JSON.stringify(response.body).slice(0, 120)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('when a body nests within the bound, then it reaches the route and is judged there', async () => {
    const nested = `{"email":${'['.repeat(20)}${']'.repeat(20)},"password":"x"}`;
    const response = await stack.http.request('POST', '/v1/auth/login', { rawBody: nested });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'invalid_type' })]);
  });

  it('when a deep body is sent without authentication, then still 400, not a crash', async () => {
    const response = await stack.http.request('POST', '/v1/auth/register', { rawBody: deepArrays });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
  });
});

describe('percent-encoding in paths', () => {
  it('when POST /v1/integrations/%ZZ/activate is asked, then 400 problem+json, not a URIError 500', async () => {
    const response = await stack.http.request('POST', '/v1/integrations/%ZZ/activate', {
      body: {},
      token: agent.token,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ code: 'invalid_encoding' })],
    });
  });

  it('when any path parameter is badly percent-encoded or not an id, then 4xx on every route with one', async () => {
    const routes = operations.filter((operation) => operation.path.includes('{'));
    expect(routes.length).toBeGreaterThan(3);
    const failures: string[] = [];
    for (const { method, path } of routes) {
      for (const value of [
        '%ZZ',
        '%',
        '%E0%A4%A',
        '%C0%AF',
        '%00',
        '..%2F..%2Fetc',
        '9223372036854775808',
        `${SAMPLE_ID}%20`,
      ]) {
        const response = await stack.http.request(method, withParams(path, value), {
          token: agent.token,
          ...(isBodyMethod(method) && { body: {} }),
        });
        if (
          response.status >= 500 ||
          response.status < 400 ||
          !response.headers.get('content-type')?.includes('problem+json')
        ) {
          failures.push(`${method} ${withParams(path, value)} → ${response.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('cursors and numeric query parameters', () => {
  it('when GET /v1/account/events gets a cursor past PostgreSQL bigint, then 400, not a 500', async () => {
    const response = await stack.http.get('/v1/account/events?cursor=9223372036854775808', agent.token);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    const largest = await stack.http.get('/v1/account/events?cursor=9223372036854775807', agent.token);
    expect(largest.status).toBe(200);
  });

  it('when any documented cursor gets an out-of-range, negative, huge or mangled value, then 4xx on every route that takes one', async () => {
    const routes = operations.filter((operation) =>
      operation.parameters.some((parameter) => parameter.in === 'query' && parameter.name === 'cursor'),
    );
    expect(routes.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const { method, path } of routes) {
      for (const cursor of ['9223372036854775808', '99999999999999999999', '-1', '1e309', '%ZZ', '0x10', 'NaN', ' 1']) {
        const response = await stack.http.request(method, `${withParams(path, SAMPLE_ID)}?cursor=${cursor}`, {
          token: agent.token,
        });
        if (response.status >= 500) failures.push(`${method} ${path}?cursor=${cursor} → ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
