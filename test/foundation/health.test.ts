import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listen, type RunningServer } from '../../src/api/server';
import { createDb } from '../../src/db/connection';
import { createLogger } from '../../src/logger';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/shared/temporal';
import { HttpClient } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';
import { testConfig } from '../helpers/config';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('health and readiness', () => {
  it('when the process is up, then /healthz answers 200', async () => {
    const response = await stack.http.get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('when PostgreSQL and Temporal are reachable, then /readyz answers 200', async () => {
    const response = await stack.http.get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body.checks).toEqual({ postgres: 'ok', temporal: 'ok' });
  });

  it('when PostgreSQL is unreachable, then /readyz answers 503 naming it', async () => {
    // A closed port: connections are refused at once.
    const deadDb = createDb('postgres://nobody@127.0.0.1:1/none', 1);
    const app = createApp({
      config: testConfig(),
      db: deadDb,
      temporal: stack.serviceTemporal,
      logger: createLogger('silent'),
    });
    const server: RunningServer = await listen(app, 0, '127.0.0.1');
    try {
      const response = await new HttpClient(server.url).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({
        code: 'service_unavailable',
        checks: { postgres: 'unavailable', temporal: 'ok' },
      });
      expect(response.body.detail).toMatch(/postgres/);
    } finally {
      await server.close();
      await deadDb.destroy();
    }
  });
});

describe('errors are problem+json', () => {
  it('when a route does not exist, then 404 not_found', async () => {
    const response = await stack.http.get('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'not_found' });
    expect(response.body.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('when the body is not valid JSON, then 400 malformed_json', async () => {
    const response = await stack.http.request('POST', '/v1/auth/login', { rawBody: '{"email": ' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('malformed_json');
  });

  it('when the body is larger than the limit, then 413 payload_too_large', async () => {
    const response = await stack.http.request('POST', '/v1/auth/login', { body: { filler: 'x'.repeat(64 * 1024) } });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload_too_large');
  });
});

describe('Temporal wiring', () => {
  it('when a process has connected, then every custom search attribute is registered as a Keyword', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const client = new Client({ connection });
      const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
        namespace: 'default',
      });
      for (const name of SEARCH_ATTRIBUTE_NAMES) {
        expect(customAttributes?.[name], name).toBe(2); // INDEXED_VALUE_TYPE_KEYWORD
      }
    } finally {
      await connection.close();
    }
  });
});
