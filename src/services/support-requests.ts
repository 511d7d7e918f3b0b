import { DomainError } from '../domain/errors';
import type { SupportRequest, SupportRequestReply } from '../db/database';
import { type RequestContext, recordAudit } from '../db/repositories/audit';
import { insertSupportRequest, listAccountSupportRequests, listReplies } from '../db/repositories/support-requests';
import { supportReadiness } from './account';
import type { ServiceDeps } from './deps';
import { lockForSessionWrite } from './session-writes';

/** A support request as the merchant and the desk see it; the replies do not name the agent. */
export interface SupportRequestView {
  id: string;
  subject: string;
  message: string;
  status: SupportRequest['status'];
  createdAt: string;
  replies: Array<{ message: string; createdAt: string }>;
}

export function supportRequestView(row: SupportRequest, replies: readonly SupportRequestReply[]): SupportRequestView {
  return {
    id: row.id,
    subject: row.subject,
    message: row.message,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    replies: replies
      .filter((reply) => reply.support_request_id === row.id)
      .map((reply) => ({ message: reply.message, createdAt: reply.created_at.toISOString() })),
  };
}

/** The merchant's own requests, newest first, each with the desk's replies. */
export async function listOwnSupportRequests(deps: ServiceDeps, accountId: string): Promise<SupportRequestView[]> {
  const rows = await listAccountSupportRequests(deps.db, accountId);
  const replies = await listReplies(
    deps.db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => supportRequestView(row, replies));
}

export async function createSupportRequest(
  deps: ServiceDeps,
  accountId: string,
  request: { subject: string; message: string },
  context: RequestContext,
): Promise<SupportRequestView> {
  // The help article's rule: support needs complete account information to reach the merchant.
  const missing = await supportReadiness(deps, accountId);
  if (missing.length > 0) {
    throw new DomainError('account_incomplete', `Complete the account information first: ${missing.join(', ')}`, {
      missing,
    });
  }
  const row = await deps.db.transaction().execute(async (trx) => {
    await lockForSessionWrite(trx, accountId, context);
    const created = await insertSupportRequest(trx, { accountId, ...request });
    await recordAudit(trx, {
      accountId,
      type: 'support_request_created',
      context,
      details: { supportRequestId: created.id },
    });
    return created;
  });
  return supportRequestView(row, []);
}
