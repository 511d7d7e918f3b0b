import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountPurgedMailKey, createClosureActivities } from '../../src/activities/closure';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import type { Language } from '../../src/domain/language';
import { createLogger } from '../../src/logger';
import { formatDate } from '../../src/mail/copy/format';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { mailsTo, type Merchant, signUp } from '../helpers/merchant';
import type { ReceivedMail } from '../helpers/smtp';
import { startStack, type TestStack } from '../helpers/stack';
import { until } from '../helpers/wait';

let stack: TestStack;
beforeAll(async () => {
  // The purge follows the closure after a second, on the dev server.
  stack = await startStack({ env: { CLOSURE_GRACE_PERIOD: '1s' } });
});
afterAll(() => stack?.stop());

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const RECEIPT_SUBJECT: Record<Language, RegExp> = {
  en: /^Your ConnectProf account has been deleted$/,
  tr: /^ConnectProf hesabınız silindi$/,
};

/** Closes the merchant's account, lets the purge run, and returns the receipt that reached the SMTP server. */
async function purgeAndReceive(merchant: Merchant, language: Language): Promise<ReceivedMail> {
  const closure = await stack.http.post(
    '/v1/account/closure',
    { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
    merchant.token,
  );
  expect(closure.status).toBe(202);
  expect(await stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId)).result()).toBe('purged');
  return stack.smtp.waitFor((mail) => mail.to === merchant.email && RECEIPT_SUBJECT[language].test(mail.subject));
}

function purgedAuditRow(accountId: string) {
  return stack.database.db
    .selectFrom('audit_events')
    .select(['details', 'ip', 'user_agent', 'created_at'])
    .where('account_id', '=', accountId)
    .where('type', '=', 'account_purged')
    .execute();
}

function receiptOutboxRow(accountId: string) {
  return stack.database.db
    .selectFrom('mail_outbox')
    .select(['to_address', 'subject', 'text_body', 'sent_at'])
    .where('idempotency_key', '=', accountPurgedMailKey(accountId))
    .execute();
}

describe('the deletion receipt', () => {
  it('when a purge of 3 integrations, 5 products and 7 orders finishes, then the former address gets a receipt with those counts, the time and the receipt id the audit row keeps, and the outbox keeps nothing of it', async () => {
    const merchant = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 3, products: 5, orders: 7 });

    const receipt = await purgeAndReceive(merchant, 'en');

    expect(receipt.text).toMatch(/Integrations: 3\n/);
    expect(receipt.text).toMatch(/Products: 5\n/);
    expect(receipt.text).toMatch(/Orders: 7\n/);
    expect(receipt.text).toContain('The account itself');
    const receiptId = /Receipt id: (\S+)/.exec(receipt.text)?.[1];
    expect(receiptId).toMatch(UUID);

    const audit = await purgedAuditRow(merchant.accountId);
    expect(audit).toHaveLength(1);
    // The counts and the receipt id, and nothing else: no address, no network, no user agent.
    expect(audit[0]!.details).toEqual({ receiptId, integrations: 3, products: 5, orders: 7 });
    expect(audit[0]!.ip).toBeNull();
    expect(audit[0]!.user_agent).toBeNull();
    // The time is the purge's own, as the audit row records it.
    expect(receipt.text).toContain(`deleted on ${formatDate(audit[0]!.created_at, 'en')}`);

    // Delivered, the receipt's row keeps its key and when it went out, not to whom or what it said.
    await until(async () => (await receiptOutboxRow(merchant.accountId))[0]?.sent_at != null);
    expect(await receiptOutboxRow(merchant.accountId)).toEqual([
      { to_address: null, subject: null, text_body: null, sent_at: expect.any(Date) },
    ]);
  });

  it('when the deleting activity is retried after its commit, then no second receipt is queued or recorded', async () => {
    const merchant = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 1, products: 2, orders: 3 });
    const receipt = await purgeAndReceive(merchant, 'en');
    const before = await purgedAuditRow(merchant.accountId);

    // The retry a worker would run had the activity's result been lost after its commit.
    const activities = createClosureActivities({
      db: stack.database.db,
      config: stack.config,
      logger: createLogger('silent'),
    });
    await activities.deleteAccount({ accountId: merchant.accountId });

    expect(await purgedAuditRow(merchant.accountId)).toEqual(before);
    expect(await receiptOutboxRow(merchant.accountId)).toHaveLength(1);
    const receipts = mailsTo(stack, merchant.email).filter((mail) => RECEIPT_SUBJECT.en.test(mail.subject));
    expect(receipts).toEqual([receipt]);
    // Once the one receipt is out, nothing is left in the outbox for the dispatcher to send there later.
    await until(async () => (await receiptOutboxRow(merchant.accountId))[0]?.sent_at != null);
    expect(
      await stack.database.db.selectFrom('mail_outbox').select('id').where('to_address', '=', merchant.email).execute(),
    ).toEqual([]);
  });

  it('when a Turkish account is purged, then its receipt is Turkish, with Turkish dates and digit grouping', async () => {
    const merchant = await signUp(stack);
    expect((await stack.http.patch('/v1/account', { language: 'tr' }, merchant.token)).status).toBe(200);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 2, products: 1_500, orders: 4 });

    const receipt = await purgeAndReceive(merchant, 'tr');

    expect(receipt.text).toMatch(/Entegrasyonlar: 2\n/);
    expect(receipt.text).toMatch(/Ürünler: 1\.500\n/);
    expect(receipt.text).toMatch(/Siparişler: 4\n/);
    const receiptId = /Makbuz numarası: (\S+)/.exec(receipt.text)?.[1];
    expect(receiptId).toMatch(UUID);
    const [audit] = await purgedAuditRow(merchant.accountId);
    expect(audit!.details).toEqual({ receiptId, integrations: 2, products: 1_500, orders: 4 });
    expect(receipt.text).toContain(`${formatDate(audit!.created_at, 'tr')} tarihinde`);
  });
});
