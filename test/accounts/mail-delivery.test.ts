import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMail } from '../../src/db/repositories/outbox';
import { deliverDueMail } from '../../src/mail/dispatcher';
import { createMailTransport } from '../../src/mail/transport';
import { testConfig } from '../helpers/config';
import { mailsTo, uniqueEmail } from '../helpers/merchant';
import { TestSmtpServer } from '../helpers/smtp';
import { startStack, type TestStack } from '../helpers/stack';
import { until } from '../helpers/wait';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());


describe('mail delivery through the outbox', () => {
  it('when SMTP is down, then the mail waits and retries; when it is back, exactly one copy arrives', async () => {
    stack.smtp.failing = true;
    const email = uniqueEmail('outage');
    expect((await stack.http.post('/v1/auth/register', { email, password: 'Str0ng!Pass' })).status).toBe(201);

    const attempts = () =>
      stack.database.db.selectFrom('mail_outbox').select(['attempts', 'sent_at', 'last_error']).where('to_address', '=', email).executeTakeFirst();
    await until(async () => ((await attempts())?.attempts ?? 0) >= 2);
    const failed = await attempts();
    expect(failed?.sent_at).toBeNull();
    expect(failed?.last_error).toMatch(/451|mailbox unavailable/);
    expect(mailsTo(stack, email)).toHaveLength(0);

    stack.smtp.failing = false;
    await stack.smtp.waitFor((mail) => mail.to === email);
    await until(async () => (await attempts())?.sent_at != null);
    // Give any duplicate every chance to show up: run a delivery round ourselves.
    const transport = createMailTransport(stack.config);
    await deliverDueMail({ db: stack.database.db, logger: stack.logger, transport, from: stack.config.mail.from, pollIntervalMs: 10, maxBackoffMs: 10 });
    transport.close();
    expect(mailsTo(stack, email)).toHaveLength(1);
  });

  it('when a mail is delivered, then its body (which may hold a code) is cleared from the outbox', async () => {
    const email = uniqueEmail('scrub');
    await enqueueMail(stack.database.db, { key: `test:${email}`, to: email, subject: 'Hello', text: 'code 123456' });
    await stack.smtp.waitFor((mail) => mail.to === email);
    await until(async () => {
      const row = await stack.database.db.selectFrom('mail_outbox').select(['sent_at', 'text_body']).where('to_address', '=', email).executeTakeFirstOrThrow();
      return row.sent_at !== null && row.text_body === null;
    });
  });

  it('when many mails go out at once, then they share a few reused SMTP connections', async () => {
    const server = await TestSmtpServer.start();
    const transport = createMailTransport(testConfig({ SMTP_URL: server.url }));
    try {
      const mails = Array.from({ length: 30 }, (_, index) => ({ id: `pool-${index}`, from: 'a@connectprof.local', to: `pool-${index}@example.com`, subject: 'Pooled', text: 'hello' }));
      await Promise.all(mails.map((mail) => transport.send(mail)));
      expect(server.messages).toHaveLength(30);
      expect(server.connections).toBeGreaterThan(0);
      expect(server.connections).toBeLessThanOrEqual(5);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('when the same mail is enqueued twice with one key (a retried writer), then it is sent once', async () => {
    const email = uniqueEmail('twice');
    const mail = { key: `test-once:${email}`, to: email, subject: 'Once', text: 'only once' };
    await enqueueMail(stack.database.db, mail);
    await enqueueMail(stack.database.db, mail);
    await stack.smtp.waitFor((received) => received.to === email);
    const rows = await stack.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', email).execute();
    expect(rows).toHaveLength(1);
  });
});
