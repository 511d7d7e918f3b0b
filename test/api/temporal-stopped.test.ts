import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server';
import { createLogger } from '../../src/logger';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { connectServiceConnection, serviceClient } from '../../src/temporal/connection';
import { testConfig } from '../helpers/config';
import type { HttpResponse } from '../helpers/http';
import { codeIn, enrolTotp, nextCodeMail, signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { ANSWER_BOUND_MS, CALL_TIMEOUT_MS, expectUnavailable, timedDuring } from '../helpers/outage';
import { freePort, until } from '../helpers/wait';

// The outage the issue reproduced, for real: the Temporal frontend's process stopped with SIGSTOP
// (its port open, connections accepted by the kernel, nothing answering). A dev server of this
// file's own, so stopping it leaves the other files' server alone. temporal-outage.test.ts covers
// every route through a proxy that imitates this; here the routes the issue named.

let devServer: TemporalDevServer;
let client: Client;
let nativeConnection: NativeConnection;
let stack: TestStack;

beforeAll(async () => {
  devServer = await startTemporalDevServer({
    dataDir: mkdtempSync(path.join(tmpdir(), 'temporal-stopped-')),
    port: await freePort(),
    storage: 'memory',
    namespace: 'default',
    logger: createLogger('silent'),
  });
  // The service's own connection, with its call deadline.
  const config = testConfig({ TEMPORAL_CALL_TIMEOUT: `${CALL_TIMEOUT_MS}ms` });
  client = serviceClient(config, await connectServiceConnection(config, devServer.address));
  nativeConnection = await NativeConnection.connect({ address: devServer.address });
  stack = await startStack({
    temporal: { client, nativeConnection, namespace: 'default' },
    env: { TEMPORAL_CALL_TIMEOUT: `${CALL_TIMEOUT_MS}ms` },
  });
}, 120_000);
afterAll(async () => {
  if (devServer?.pid !== undefined) process.kill(devServer.pid, 'SIGCONT');
  await stack?.stop();
  await nativeConnection?.close();
  await client?.connection.close();
  await devServer?.stop();
});

/** Runs `request` with the Temporal server's process stopped, then continues it. */
const whileStopped = (request: () => Promise<HttpResponse>) =>
  timedDuring(
    { stop: () => process.kill(devServer.pid!, 'SIGSTOP'), resume: () => process.kill(devServer.pid!, 'SIGCONT') },
    request,
  );

/** The request, sent again while it answers 503 (a retry as Retry-After asks). */
async function retried(request: () => Promise<HttpResponse>): Promise<HttpResponse> {
  let response = await request();
  await until(async () => response.status !== 503 || (response = await request()).status !== 503);
  return response;
}

describe('Temporal server process stopped (SIGSTOP)', () => {
  it('when an email code is entered or a login’s second step sent, then 503 with Retry-After within the deadline, and a closure 202 in force; once it runs again, the same requests succeed and the closure’s flow starts with the purge date answered', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));

    expectUnavailable(await whileStopped(() => stack.http.post('/v1/account/email/verify', { code }, merchant.token)));
    expect((await stack.http.get('/v1/account', merchant.token)).body).toMatchObject({
      status: 'active',
      emailVerified: false,
    });

    // A closure needs nothing from Temporal before it is made: 202, in force, its start queued.
    const closing = await signUp(stack);
    const closure = { password: closing.password, acknowledgeWarnings: true, deleteAllData: true };
    const closed = await whileStopped(() => stack.http.post('/v1/account/closure', closure, closing.token));
    expect(closed.tookMs).toBeLessThan(ANSWER_BOUND_MS);
    expect(closed.response.status).toBe(202);
    expect((await stack.http.get('/v1/account', closing.token)).status).toBe(401);

    const other = await signUp(stack);
    const { app } = await enrolTotp(stack, other);
    const login = await stack.http.post('/v1/auth/login', { email: other.email, password: other.password });
    expect(login.body.status).toBe('mfa_required');
    expectUnavailable(
      await whileStopped(() =>
        stack.http.post('/v1/auth/login/verify', { challengeId: login.body.challengeId, code: app.code(1) }),
      ),
    );

    // Running again: nothing was lost, and the merchant's retries go through (once the server has
    // worked through what waited for it, as a client told Retry-After would find).
    expect((await retried(() => stack.http.post('/v1/account/email/verify', { code }, merchant.token))).status).toBe(
      200,
    );
    const verified = await retried(() =>
      stack.http.post('/v1/auth/login/verify', { challengeId: login.body.challengeId, code: app.code(1) }),
    );
    expect(verified.status).toBe(200);
    const closureFlow = stack.temporal.workflow.getHandle(accountClosureWorkflowId(closing.accountId));
    await until(async () => {
      try {
        const status = await closureFlow.query(accountClosureStatusQuery);
        return status.state === 'grace' && status.purgeAt === Date.parse(closed.response.body.purgeAt);
      } catch {
        return false; // not started yet, or the server still catching up
      }
    });
  });
});
