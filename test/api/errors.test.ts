import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listen, type RunningServer } from '../../src/api/server';
import { createDb } from '../../src/db/connection';
import { createLogger } from '../../src/logger';
import { HttpClient } from '../helpers/http';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let broken: RunningServer;
let brokenDb: ReturnType<typeof createDb>;
const lines: string[] = [];
beforeAll(async () => {
  stack = await startStack();
  // A database that answers, but not as expected: every query fails with an unexpected error.
  const url = new URL(stack.database.url);
  url.pathname = '/no_such_database_here';
  brokenDb = createDb(url.toString(), 1);
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  broken = await listen(
    createApp({
      config: stack.config,
      db: brokenDb,
      temporal: stack.serviceTemporal,
      logger: createLogger('info', capture),
    }),
    0,
    '127.0.0.1',
  );
});
afterAll(async () => {
  await broken?.close();
  await brokenDb?.destroy();
  await stack?.stop();
});

describe('unexpected errors', () => {
  it('when a request fails unexpectedly, then 500 problem+json with a request id, no internal detail, and the log line carries the same id', async () => {
    const response = await new HttpClient(broken.url).get('/v1/account', 'a'.repeat(43));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'internal_error', status: 500 });
    const requestId = response.headers.get('x-request-id');
    expect(response.body.requestId).toBe(requestId);
    expect(JSON.stringify(response.body)).not.toMatch(/no_such_database_here|does not exist|\.ts:\d+|at /);
    const logged = lines.map(
      (line) => JSON.parse(line) as { level: number; requestId?: string; err?: { message?: string } },
    );
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 50,
        requestId,
        err: expect.objectContaining({ message: expect.stringMatching(/does not exist/) }),
      }),
    );
  });

  it('when the method is wrong or the content type is not JSON, then still problem+json', async () => {
    const wrongMethod = await stack.http.request('PUT', '/healthz', { body: {} });
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.headers.get('content-type')).toMatch(/problem\+json/);
    const text = await stack.http.request('POST', '/v1/auth/login', {
      rawBody: 'email=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.headers.get('content-type')).toMatch(/problem\+json/);
    expect(text.body.code).toBe('unsupported_media_type');
  });
});
