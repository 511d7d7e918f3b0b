import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMail } from '../../src/db/repositories/outbox';
import { deliverDueMail } from '../../src/mail/dispatcher';
import { createMailTransport, type MailTransport } from '../../src/mail/transport';
import { createLogger } from '../../src/logger';
import { testConfig } from '../helpers/config';
import { useTestDatabase } from '../helpers/db';
import { TestSmtpServer } from '../helpers/smtp';

const database = useTestDatabase();
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await TestSmtpServer.start();
});
afterAll(() => smtp?.close());

describe('mail outbox leases', () => {
  it('when several dispatchers deliver the same outbox at once, then every mail goes out exactly once and is marked sent', async () => {
    // 45 mails: more than two dispatchers lease in one round each (20), so rounds overlap too.
    const keys = Array.from({ length: 45 }, (_, index) => `lease-test:${index}`);
    for (const key of keys)
      await enqueueMail(database().db, {
        key,
        to: `${key.replace(':', '-')}@example.com`,
        subject: 'Leased',
        text: key,
      });

    const transports: MailTransport[] = [1, 2, 3].map(() => createMailTransport(testConfig({ SMTP_URL: smtp.url })));
    const deps = (transport: MailTransport) => ({
      db: database().db,
      logger: createLogger('silent'),
      transport,
      from: 'a@connectprof.local',
      pollIntervalMs: 10,
      maxBackoffMs: 10,
    });
    try {
      // Each dispatcher keeps delivering until it finds nothing left to lease.
      await Promise.all(
        transports.map(async (transport) => {
          while ((await deliverDueMail(deps(transport))) > 0);
        }),
      );
    } finally {
      for (const transport of transports) transport.close();
    }

    const received = smtp.messages.map((mail) => mail.text.trim()).sort();
    expect(received).toEqual([...keys].sort());
    const unsent = await database().db.selectFrom('mail_outbox').select('id').where('sent_at', 'is', null).execute();
    expect(unsent).toHaveLength(0);
  });
});
