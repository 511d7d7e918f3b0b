import type { Language } from '../../domain/language';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { SupportRequestStatus } from '../../domain/support-request-status';
import type { Database, SupportRequest, SupportRequestReply } from '../database';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertSupportRequest(
  db: Db,
  input: { accountId: string; subject: string; message: string },
): Promise<SupportRequest> {
  return db
    .insertInto('support_requests')
    .values({ account_id: input.accountId, subject: input.subject, message: input.message })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The merchant's own requests, newest first. */
export function listAccountSupportRequests(db: Db, accountId: string): Promise<SupportRequest[]> {
  return db
    .selectFrom('support_requests')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The replies to the given requests, oldest first. */
export async function listReplies(db: Db, supportRequestIds: readonly string[]): Promise<SupportRequestReply[]> {
  if (supportRequestIds.length === 0) return [];
  return db
    .selectFrom('support_request_replies')
    .selectAll()
    .where('support_request_id', 'in', supportRequestIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * A place in the queue: the request's creation time as PostgreSQL holds it (microseconds, which a
 * JavaScript Date would round away and so skip or repeat rows) and its id for ties.
 */
export interface QueuePosition {
  createdAt: string;
  id: string;
}

/** The merchant's contact details, read with each request (never the password hash or any secret). */
const CONTACT_COLUMNS = [
  'accounts.email as merchant_email',
  'accounts.full_name as merchant_full_name',
  'accounts.trade_name as merchant_trade_name',
  'accounts.phone as merchant_phone',
  'accounts.country as merchant_country',
  'accounts.city as merchant_city',
  'accounts.status as merchant_status',
  'accounts.created_at as merchant_created_at',
  'accounts.language as merchant_language',
] as const;

const positionOf = sql<string>`to_char(support_requests.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The queue, oldest first, after `after` (keyset: a page never skips or repeats a row as others are added). */
export function listSupportQueue(
  db: Db,
  page: { status?: SupportRequestStatus; after?: QueuePosition; limit: number },
) {
  let query = db
    .selectFrom('support_requests')
    .innerJoin('accounts', 'accounts.id', 'support_requests.account_id')
    .selectAll('support_requests')
    .select(CONTACT_COLUMNS)
    .select(positionOf.as('position'));
  if (page.status !== undefined) query = query.where('support_requests.status', '=', page.status);
  const after = page.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('support_requests.created_at', 'support_requests.id'),
        '>',
        eb.tuple(sql<Date>`${after.createdAt}::timestamptz`, sql<string>`${after.id}::uuid`),
      ),
    );
  }
  return query.orderBy('support_requests.created_at').orderBy('support_requests.id').limit(page.limit).execute();
}

/** A request read with its merchant's contact details (the `merchant_` columns). */
export type SupportRequestWithContact = SupportRequest & {
  merchant_email: string;
  merchant_full_name: string | null;
  merchant_trade_name: string | null;
  merchant_phone: string | null;
  merchant_country: string | null;
  merchant_city: string | null;
  merchant_status: 'active' | 'closed';
  merchant_created_at: Date;
  merchant_language: Language;
};

/** The request and its merchant's contact details, the request locked until the transaction ends: status moves are serialised. */
export function lockSupportRequest(trx: Transaction<Database>, id: string) {
  return trx
    .selectFrom('support_requests')
    .innerJoin('accounts', 'accounts.id', 'support_requests.account_id')
    .selectAll('support_requests')
    .select(CONTACT_COLUMNS)
    .where('support_requests.id', '=', id)
    .forUpdate('support_requests')
    .executeTakeFirst();
}

export function setSupportRequestStatus(db: Db, id: string, status: SupportRequestStatus): Promise<SupportRequest> {
  return db
    .updateTable('support_requests')
    .set({ status, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function lastReply(db: Db, supportRequestId: string): Promise<SupportRequestReply | undefined> {
  return db
    .selectFrom('support_request_replies')
    .selectAll()
    .where('support_request_id', '=', supportRequestId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function insertReply(
  db: Db,
  input: { supportRequestId: string; authorId: string; message: string },
): Promise<SupportRequestReply> {
  return db
    .insertInto('support_request_replies')
    .values({ support_request_id: input.supportRequestId, author_id: input.authorId, message: input.message })
    .returningAll()
    .executeTakeFirstOrThrow();
}
