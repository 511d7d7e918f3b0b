import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../helpers/http';
import { type Merchant, mailsTo } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { completeMerchant, contactOf, openRequest, supportAgent } from '../helpers/support-desk';

let stack: TestStack;
let agent: Merchant;
let merchant: Merchant;
beforeAll(async () => {
  stack = await startStack();
  agent = await supportAgent(stack);
  merchant = await completeMerchant(stack);
});
afterAll(() => stack?.stop());

const move = (id: string, body: unknown, token = agent.token) =>
  stack.http.patch(`/v1/support/requests/${id}`, body, token);

/** Every page of the queue, following nextCursor; the ids in the order they came. */
async function walkQueue(query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response: HttpResponse = await stack.http.get(
      `/v1/support/requests?${query}${cursor ? `&cursor=${cursor}` : ''}`,
      agent.token,
    );
    expect(response.status).toBe(200);
    ids.push(...response.body.items.map((item: { id: string }) => item.id));
    cursor = response.body.nextCursor;
    pages += 1;
  } while (cursor !== null && pages < 100);
  return { ids, pages };
}

describe('the queue', () => {
  it('when requests are open, then the queue lists them oldest first, each with the merchant’s contact details', async () => {
    const first = await openRequest(stack, merchant, 'First');
    const second = await openRequest(stack, merchant, 'Second');
    const response = await stack.http.get('/v1/support/requests?status=open&limit=100', agent.token);
    expect(response.status).toBe(200);
    const ids = response.body.items.map((item: { id: string }) => item.id);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
    expect(response.body.items.find((item: { id: string }) => item.id === second)).toEqual({
      id: second,
      subject: 'Second',
      message: 'Trendyol orders stopped syncing yesterday.',
      status: 'open',
      createdAt: expect.any(String),
      replies: [],
      merchant: contactOf(merchant),
    });
  });

  it('when the queue spans several pages, then following the cursor yields every request once, oldest first, per status', async () => {
    const created: string[] = [];
    for (let index = 0; index < 5; index++) created.push(await openRequest(stack, merchant, `Paged ${index}`));
    await move(created[1]!, { status: 'in_progress' });

    const open = await walkQueue('status=open&limit=2');
    expect(open.pages).toBeGreaterThan(2);
    expect(new Set(open.ids).size).toBe(open.ids.length);
    expect(open.ids.filter((id) => created.includes(id))).toEqual([created[0], created[2], created[3], created[4]]);
    const inProgress = await walkQueue('status=in_progress&limit=2');
    expect(inProgress.ids).toContain(created[1]);
    expect(inProgress.ids).not.toContain(created[0]);

    const all = await walkQueue('limit=3');
    expect(all.ids.filter((id) => created.includes(id))).toEqual(created);
  });

  it('when requests were created within the same millisecond, then paging one at a time neither skips nor repeats them', async () => {
    const ids: string[] = [];
    for (const micros of ['100', '200', '300']) {
      const row = await stack.database.db
        .insertInto('support_requests')
        .values({
          account_id: merchant.accountId,
          subject: `Same ms ${micros}`,
          message: 'm',
          status: 'resolved',
          created_at: sql<Date>`'2020-01-01T00:00:00.000${sql.raw(micros)}Z'::timestamptz` as never,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    const resolved = await walkQueue('status=resolved&limit=1');
    expect(resolved.ids.slice(0, 3)).toEqual(ids);
  });

  it('when the cursor or the status is garbled, then 400 validation_failed naming the field, never a 500', async () => {
    for (const [query, field] of [
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('["2026-02-31T00:00:00.000000Z","x"]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
      ['cursor=%00', 'cursor'],
      ['status=closed', 'status'],
      ['limit=0', 'limit'],
    ] as const) {
      const response: HttpResponse = await stack.http.get(`/v1/support/requests?${query}`, agent.token);
      expect(response.status, query).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
  });

  it('when an agent reads the queue, then each merchant on the page gets one trail event with the agent as actor', async () => {
    const other = await completeMerchant(stack);
    const id = await openRequest(stack, other);
    await walkQueue('status=open&limit=100');
    const events = await stack.database.db
      .selectFrom('audit_events')
      .select(['actor_id', 'details'])
      .where('account_id', '=', other.accountId)
      .where('type', '=', 'support_requests_viewed')
      .execute();
    expect(events).toEqual([{ actor_id: agent.accountId, details: { supportRequestIds: [id] } }]);
  });
});

describe('working a request', () => {
  it('when an agent takes, answers and resolves a request, then the merchant gets the reply by mail and sees it with the status', async () => {
    const id = await openRequest(stack, merchant, 'Invoices missing');
    const taken = await move(id, { status: 'in_progress' });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ id, status: 'in_progress', replies: [], merchant: { email: merchant.email } });

    const answered = await move(id, { status: 'resolved', reply: 'We re-sent the invoices to your address.' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      status: 'resolved',
      replies: [{ message: 'We re-sent the invoices to your address.', createdAt: expect.any(String) }],
    });

    const mail = await stack.smtp.waitFor(
      (received) => received.to === merchant.email && received.subject === 'Re: Invoices missing',
    );
    expect(mail.text).toContain('We re-sent the invoices to your address.');
    expect(mail.text).toContain('resolved');

    const own = await stack.http.get('/v1/support-requests', merchant.token);
    expect(own.body.items.find((item: { id: string }) => item.id === id)).toEqual({
      id,
      subject: 'Invoices missing',
      message: 'Trendyol orders stopped syncing yesterday.',
      status: 'resolved',
      createdAt: expect.any(String),
      replies: [{ message: 'We re-sent the invoices to your address.', createdAt: expect.any(String) }],
    });
    const trail = await stack.database.db
      .selectFrom('audit_events')
      .select(['actor_id', 'details'])
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'support_request_updated')
      .where(sql<boolean>`details->>'supportRequestId' = ${id}`)
      .orderBy('id')
      .execute();
    expect(trail.map((event) => [event.actor_id, event.details.from, event.details.to])).toEqual([
      [agent.accountId, 'open', 'in_progress'],
      [agent.accountId, 'in_progress', 'resolved'],
    ]);
  });

  it('when a status would move backwards, then 400 invalid_status_transition and nothing changes', async () => {
    const id = await openRequest(stack, merchant);
    expect((await move(id, { status: 'in_progress' })).status).toBe(200);
    const back = await move(id, { status: 'open', reply: 'Reopening' });
    expect(back.status).toBe(400);
    expect(back.body).toMatchObject({ code: 'invalid_status_transition', from: 'in_progress', to: 'open' });
    expect((await move(id, { status: 'resolved' })).status).toBe(200);
    const reopen = await move(id, { status: 'in_progress' });
    expect(reopen.body.code).toBe('invalid_status_transition');
    const row = await stack.database.db
      .selectFrom('support_requests')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('resolved');
    expect(
      await stack.database.db
        .selectFrom('support_request_replies')
        .select('id')
        .where('support_request_id', '=', id)
        .execute(),
    ).toEqual([]);
  });

  it('when the merchant reads Turkish, then the reply comes by mail in Turkish', async () => {
    const turkish = await completeMerchant(stack);
    expect((await stack.http.patch('/v1/account', { language: 'tr' }, turkish.token)).status).toBe(200);
    const id = await openRequest(stack, turkish, 'Siparişler gelmiyor');
    expect((await move(id, { status: 'resolved', reply: 'Siparişleri yeniden eşitledik.' })).status).toBe(200);
    const mail = await stack.smtp.waitFor(
      (received) => received.to === turkish.email && received.subject === 'Ynt: Siparişler gelmiyor',
    );
    expect(mail.text).toContain('Siparişleri yeniden eşitledik.');
    expect(mail.text).toContain('çözüldü');
  });

  it('when an agent replies without moving the request, then the reply is posted and the status stays', async () => {
    const id = await openRequest(stack, merchant, 'Quick question');
    const reply = await move(id, { status: 'open', reply: 'Could you send the order number?' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'open', replies: [{ message: 'Could you send the order number?' }] });
    await stack.smtp.waitFor((mail) => mail.to === merchant.email && mail.subject === 'Re: Quick question');
  });

  it('when the same reply is sent twice (a retried PATCH), then it is posted and mailed once', async () => {
    const id = await openRequest(stack, merchant, 'Retried');
    // Delivered mail keeps no address or subject, so the outbox is counted as a whole: the tests
    // of this file run one at a time, and nothing else writes mail between the two counts.
    const outboxSize = async () =>
      Number(
        (
          await stack.database.db
            .selectFrom('mail_outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await outboxSize();
    const body = { status: 'in_progress', reply: 'On it.' };
    expect((await move(id, body)).status).toBe(200);
    const again = await move(id, body);
    expect(again.status).toBe(200);
    expect(again.body.replies).toHaveLength(1);
    expect(await outboxSize()).toBe(before + 1);
  });

  it('when the status is unknown, the reply too long or holding control characters or direction overrides, or the body has extra fields, then 400 validation_failed naming the field', async () => {
    const id = await openRequest(stack, merchant);
    for (const [body, field] of [
      [{ status: 'closed' }, 'status'],
      [{}, 'status'],
      [{ status: 'in_progress', reply: 'x'.repeat(5001) }, 'reply'],
      [{ status: 'in_progress', reply: '   ' }, 'reply'],
      [{ status: 'in_progress', reply: 'Fixed \u001b[31mnow' }, 'reply'],
      [{ status: 'in_progress', reply: 'See \u202Efdp.exe' }, 'reply'],
      [{ status: 'in_progress', assignee: 'me' }, '(body)'],
    ] as const) {
      const response = await move(id, body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    expect((await move(id, { status: 'in_progress', reply: 'x'.repeat(5000) })).status).toBe(200);
  });

  it('when the request id is unknown or not an id at all, then 404 not_found', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', '42', 'not-a-uuid', '%27%3B--']) {
      const response = await move(id, { status: 'in_progress' });
      expect(response.status, id).toBe(404);
      expect(response.body.code, id).toBe('not_found');
    }
  });

  it('when two agents take the same request at once, then both succeed once and it is in progress', async () => {
    const second = await supportAgent(stack);
    const id = await openRequest(stack, merchant);
    const [a, b] = await Promise.all([
      move(id, { status: 'in_progress' }),
      move(id, { status: 'in_progress' }, second.token),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const moves = await stack.database.db
      .selectFrom('audit_events')
      .select(sql<string>`details->>'from'`.as('from'))
      .where('type', '=', 'support_request_updated')
      .where(sql<boolean>`details->>'supportRequestId' = ${id}`)
      .execute();
    // Serialised on the row: one saw it open, the other saw it already taken.
    expect(moves.map((event) => event.from).sort()).toEqual(['in_progress', 'open']);
  });
});

describe('the merchant’s side', () => {
  it('when a merchant lists their requests, then they see their own with replies, never another merchant’s', async () => {
    const other = await completeMerchant(stack);
    const theirs = await openRequest(stack, other, 'Not yours');
    await move(theirs, { status: 'in_progress', reply: 'For the other merchant only' });
    const mine = await stack.http.get('/v1/support-requests', merchant.token);
    expect(mine.status).toBe(200);
    const ids = mine.body.items.map((item: { id: string }) => item.id);
    expect(ids).not.toContain(theirs);
    expect(JSON.stringify(mine.body)).not.toContain('For the other merchant only');
    expect(mailsTo(stack, merchant.email).some((mail) => mail.text.includes('For the other merchant only'))).toBe(
      false,
    );
  });
});
