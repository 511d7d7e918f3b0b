import { DomainError } from '../domain/errors';
import type { Auth } from './caller';
import { findAccountByEmail } from '../db/repositories/accounts';
import { type AuditRecord, type RequestContext, recordAudit, recordAudits } from '../db/repositories/audit';
import { enqueueMail } from '../db/repositories/outbox';
import {
  insertReply,
  lastReply,
  listReplies,
  listSupportQueue,
  lockSupportRequest,
  type QueuePosition,
  setSupportRequestStatus,
  type SupportRequestWithContact,
} from '../db/repositories/support-requests';
import { isForwardOrSame, type SupportRequestStatus } from '../domain/support-request-status';
import { mailsIn } from '../mail/copy';
import type { AccountClosureStatus } from '../shared/account-closure';
import { closureStatus } from './closure';
import type { ServiceDeps } from './deps';
import { type MerchantContact, type MerchantSummary, merchantContact, merchantSummary } from './merchant-summary';
import { type SupportRequestView, supportRequestView } from './support-requests';

// The support desk: agents find a merchant by email and work the request queue. Every call is
// recorded in the trail of each merchant it showed or changed, with the agent as the actor.

export type QueueItem = SupportRequestView & { merchant: MerchantContact };

/**
 * Exact match on the address as the service stores it (trimmed, lower-cased): no prefix or
 * wildcard search, so the desk cannot be used to harvest addresses.
 */
export async function findMerchantsByEmail(
  deps: ServiceDeps,
  agent: Auth,
  email: string,
  context: RequestContext,
): Promise<{ items: MerchantSummary[] }> {
  const account = await findAccountByEmail(deps.db, email);
  const items = account ? [await merchantSummary(deps, account)] : [];
  // A miss is recorded too (with no merchant to file it under), so every lookup leaves a trace.
  await recordAudit(deps.db, {
    accountId: account?.id ?? null,
    actorId: agent.accountId,
    type: 'support_account_looked_up',
    context,
    details: { matched: items.length },
  });
  return { items };
}

/** The closure flow's state as an agent reads it by account id; recorded like every desk read. */
export async function closureForAgent(
  deps: ServiceDeps,
  agent: Auth,
  accountId: string,
  context: RequestContext,
): Promise<AccountClosureStatus> {
  const status = await closureStatus(deps, accountId);
  await recordAudit(deps.db, {
    accountId,
    actorId: agent.accountId,
    type: 'support_closure_viewed',
    context,
    details: { state: status.state },
  });
  return status;
}

export async function supportQueue(
  deps: ServiceDeps,
  agent: Auth,
  page: { status?: SupportRequestStatus; after?: QueuePosition; limit: number },
  context: RequestContext,
): Promise<{ items: QueueItem[]; next: QueuePosition | null }> {
  // One row more than asked for says whether there is a next page.
  const rows = await listSupportQueue(deps.db, { ...page, limit: page.limit + 1 });
  const shown = rows.slice(0, page.limit);
  const replies = await listReplies(
    deps.db,
    shown.map((row) => row.id),
  );
  await recordAudits(deps.db, viewedEvents(agent, shown, context));
  const last = shown.at(-1);
  return {
    items: shown.map((row) => ({ ...supportRequestView(row, replies), merchant: contactOf(row) })),
    next: rows.length > page.limit && last ? { createdAt: last.position, id: last.id } : null,
  };
}

/** One event per merchant on the page, naming the requests of theirs that the agent saw. */
function viewedEvents(
  agent: Auth,
  rows: ReadonlyArray<{ id: string; account_id: string }>,
  context: RequestContext,
): AuditRecord[] {
  const byMerchant = new Map<string, string[]>();
  for (const row of rows) byMerchant.set(row.account_id, [...(byMerchant.get(row.account_id) ?? []), row.id]);
  return [...byMerchant].map(([accountId, supportRequestIds]) => ({
    accountId,
    actorId: agent.accountId,
    type: 'support_requests_viewed' as const,
    context,
    details: { supportRequestIds },
  }));
}

/**
 * Moves a request forward (or leaves it where it is) and posts the agent's reply, mailing it to
 * the merchant through the outbox in the same transaction: the mail exists exactly when the
 * reply does. A PATCH retried after a lost answer (the same reply by the same agent as the last
 * one) adds and mails nothing the second time.
 */
export async function updateSupportRequest(
  deps: ServiceDeps,
  agent: Auth,
  id: string,
  change: { status: SupportRequestStatus; reply?: string },
  context: RequestContext,
): Promise<QueueItem> {
  return deps.db.transaction().execute(async (trx) => {
    const request = await lockSupportRequest(trx, id);
    if (!request) throw new DomainError('not_found', 'There is no such support request');
    if (!isForwardOrSame(request.status, change.status)) {
      throw new DomainError(
        'invalid_status_transition',
        `A request that is ${request.status} cannot go back to ${change.status}`,
        { from: request.status, to: change.status },
      );
    }
    const current =
      change.status === request.status
        ? request
        : { ...request, ...(await setSupportRequestStatus(trx, id, change.status)) };

    let replyId: string | undefined;
    if (change.reply !== undefined) {
      const last = await lastReply(trx, id);
      const retried = last !== undefined && last.author_id === agent.accountId && last.message === change.reply;
      const reply = retried
        ? last
        : await insertReply(trx, { supportRequestId: id, authorId: agent.accountId, message: change.reply });
      replyId = reply.id;
      await enqueueMail(trx, {
        key: `support-reply:${reply.id}`,
        to: request.merchant_email,
        ...mailsIn(request.merchant_language).supportReply({
          requestSubject: request.subject,
          reply: reply.message,
          resolved: current.status === 'resolved',
        }),
      });
    }

    await recordAudit(trx, {
      accountId: request.account_id,
      actorId: agent.accountId,
      type: 'support_request_updated',
      context,
      details: { supportRequestId: id, from: request.status, to: current.status, ...(replyId && { replyId }) },
    });
    const replies = await listReplies(trx, [id]);
    return { ...supportRequestView(current, replies), merchant: contactOf(current) };
  });
}

function contactOf(row: SupportRequestWithContact): MerchantContact {
  return merchantContact({
    id: row.account_id,
    email: row.merchant_email,
    full_name: row.merchant_full_name,
    trade_name: row.merchant_trade_name,
    phone: row.merchant_phone,
    country: row.merchant_country,
    city: row.merchant_city,
    status: row.merchant_status,
    created_at: row.merchant_created_at,
  });
}
