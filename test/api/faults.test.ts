import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { listen, type RunningServer } from '../../src/api/server';
import { enqueueMail } from '../../src/db/repositories/outbox';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { HttpClient } from '../helpers/http';
import { codeIn, mailsTo, nextCodeMail, signUp, uniqueEmail } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { TcpProxy } from '../helpers/tcp-proxy';
import { until } from '../helpers/wait';

let proxy: TcpProxy;
let stack: TestStack;
let second: RunningServer;
let secondApi: HttpClient;

// The proxy must exist before the stack is built; hooks run in order. It leads to the server the
// test databases live on (DATABASE_URL's, or the embedded one when it is unset).
beforeAll(async () => {
  const target = new URL(inject('adminDatabaseUrl'));
  proxy = await TcpProxy.start(target.hostname || '127.0.0.1', Number(target.port || 5432));
});

beforeAll(async () => {
  // The service reaches PostgreSQL through a proxy the tests can cut; assertions go direct.
  stack = await startStack({
    serviceDatabaseUrl: (url) => {
      const parsed = new URL(url);
      parsed.port = String(proxy.port);
      return parsed.toString();
    },
    env: { MAIL_POLL_INTERVAL: '50ms' },
  });
  second = await listen(
    createApp({ config: stack.config, db: stack.serviceDb, temporal: stack.serviceTemporal, logger: stack.logger }),
    0,
    '127.0.0.1',
  );
  secondApi = new HttpClient(second.url);
}, 120_000);
afterAll(async () => {
  await second?.close();
  await stack?.stop();
  await proxy?.close();
});

describe('PostgreSQL out of reach', () => {
  it('when the database is unreachable during an API call, then a clean 503; when it is back, the same call works', async () => {
    const merchant = await signUp(stack);
    proxy.cut();
    try {
      const down = await stack.http.get('/v1/account', merchant.token);
      expect(down.status).toBe(503);
      expect(down.body.code).toBe('service_unavailable');
      expect(down.headers.get('retry-after')).toBeTruthy();
      expect(JSON.stringify(down.body)).not.toMatch(/ECONN|stack|at .*\.ts/);
      const ready = await stack.http.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.postgres).toBe('unavailable');
    } finally {
      proxy.restore();
    }
    await until(async () => (await stack.http.get('/v1/account', merchant.token)).status === 200);
  });

  it('when the database is unreachable during mail delivery, then the mail waits and goes out once when it is back', async () => {
    const email = uniqueEmail('db-outage');
    proxy.cut();
    // Written directly (not through the proxy), as a transaction committed just before the outage.
    await enqueueMail(stack.database.db, {
      key: `fault:${email}`,
      to: email,
      subject: 'During the outage',
      text: 'hello',
    });
    // The dispatcher cannot even read the outbox: a few polls pass and nothing is sent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(stack, email)).toHaveLength(0);
    proxy.restore();
    await stack.smtp.waitFor((mail) => mail.to === email);
    await until(async () => {
      const row = await stack.database.db
        .selectFrom('mail_outbox')
        .select('sent_at')
        .where('idempotency_key', '=', `fault:${email}`)
        .executeTakeFirstOrThrow();
      return row.sent_at !== null;
    });
    expect(mailsTo(stack, email)).toHaveLength(1);
  });
});

describe('two API instances at once', () => {
  it('when the same right code reaches both instances at once, then it is accepted once', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));
    const answers = await Promise.all([
      stack.http.post('/v1/account/email/verify', { code }, merchant.token),
      secondApi.post('/v1/account/email/verify', { code }, merchant.token),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410]);
    const verified = await stack.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'email_verified')
      .execute();
    expect(verified).toHaveLength(1);
  });

  it('when the same closure reaches both instances at once, then one flow closes the account once', async () => {
    const merchant = await signUp(stack);
    const body = { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true };
    const answers = await Promise.all([
      stack.http.post('/v1/account/closure', body, merchant.token),
      secondApi.post('/v1/account/closure', body, merchant.token),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    expect(answers[0]!.body.purgeAt).toBe(answers[1]!.body.purgeAt);
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && /account is closed/.test(mail.subject));
    const closed = await stack.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'account_closed')
      .execute();
    expect(closed).toHaveLength(1);
    const runs = await stack.temporal.workflow.count(`WorkflowId = '${accountClosureWorkflowId(merchant.accountId)}'`);
    expect(runs.count).toBe(1);
    expect(mailsTo(stack, merchant.email).filter((mail) => /account is closed/.test(mail.subject))).toHaveLength(1);
  });
});
