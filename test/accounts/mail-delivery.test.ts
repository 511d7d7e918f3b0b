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

    // Found by address while it waits, then followed by id: once delivered, the row no longer holds the address.
    const waiting = () =>
      stack.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', email).executeTakeFirst();
    await until(async () => (await waiting()) !== undefined);
    const { id } = (await waiting())!;
    const attempts = () =>
      stack.database.db
        .selectFrom('mail_outbox')
        .select(['attempts', 'sent_at', 'last_error'])
        .where('id', '=', id)
        .executeTakeFirst();
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
    await deliverDueMail({
      db: stack.database.db,
      logger: stack.logger,
      transport,
      from: stack.config.mail.from,
      pollIntervalMs: 10,
      maxBackoffMs: 10,
    });
    transport.close();
    expect(mailsTo(stack, email)).toHaveLength(1);
  });

  it('when a mail is delivered, then its row keeps neither the code (subject or body) nor the address', async () => {
    const email = uniqueEmail('scrub');
    const key = `test-scrub:${email}`;
    await enqueueMail(stack.database.db, {
      key,
      to: email,
      subject: 'Your ConnectProf verification code: 123456',
      text: 'code 123456',
    });
    const received = await stack.smtp.waitFor((mail) => mail.to === email);
    expect(received.subject).toContain('123456');
    const row = () =>
      stack.database.db
        .selectFrom('mail_outbox')
        .select(['sent_at', 'to_address', 'subject', 'text_body'])
        .where('idempotency_key', '=', key)
        .executeTakeFirstOrThrow();
    await until(async () => (await row()).sent_at !== null);
    expect(await row()).toEqual({ sent_at: expect.any(Date), to_address: null, subject: null, text_body: null });
  });

  it('when many mails go out at once, then they share a few reused SMTP connections', async () => {
    const server = await TestSmtpServer.start();
    const transport = createMailTransport(testConfig({ SMTP_URL: server.url }));
    try {
      const mails = Array.from({ length: 30 }, (_, index) => ({
        id: `pool-${index}`,
        from: 'a@connectprof.local',
        to: `pool-${index}@example.com`,
        subject: 'Pooled',
        text: 'hello',
      }));
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
    const rows = await stack.database.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('idempotency_key', '=', mail.key)
      .execute();
    expect(rows).toHaveLength(1);
  });
});
