import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { accountView } from './account';
import type { Auth } from './caller';
import { catalogueView, integrationView } from './closure';
import type { ServiceDeps } from './deps';
import { verifyCurrentPassword } from './password';
import { supportRequestView } from './support-requests';

/**
 * The merchant's own data export (GDPR Art. 20). Its shape is versioned: a consumer checks
 * `format` and `version`; fields are only ever added within a version.
 *
 * { format: "connectprof-account-export", version: 1, exportedAt,
 *   profile: Account (as GET /v1/account),
 *   integrations: Integration[], products: CatalogueRow[], orders: CatalogueRow[],
 *   supportRequests: SupportRequest[] (with replies), auditTrail: AuditEvent[] (oldest first) }
 */
export const EXPORT_FORMAT = 'connectprof-account-export';
export const EXPORT_VERSION = 1;

// Rows per read: large enough for throughput, small enough that memory stays flat whatever the
// account holds (a million orders are a few hundred reads, each written out before the next).
const BATCH_SIZE = 2_000;

/** Where the document goes, a piece at a time; resolves when the receiver can take more. */
export type ExportSink = (chunk: string) => Promise<void>;

/** The password again: an export hands over everything the account holds. */
export async function authorizeExport(
  deps: ServiceDeps,
  auth: Auth,
  password: string,
  context: RequestContext,
): Promise<void> {
  await verifyCurrentPassword(deps, auth.account, password, context, 'data_export');
  await recordAudit(deps.db, {
    accountId: auth.accountId,
    type: 'data_exported',
    context,
    details: { version: EXPORT_VERSION },
  });
}

/**
 * Writes the export to `sink` from one consistent snapshot (a read-only repeatable-read
 * transaction), walking products, orders and the audit trail in keyset batches on their
 * (account_id, id) indexes.
 */
export async function writeAccountExport(deps: ServiceDeps, auth: Auth, sink: ExportSink): Promise<void> {
  const accountId = auth.accountId;
  await deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const account = await trx
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow();
      const header = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: new Date().toISOString(),
        profile: accountView(deps, account, auth),
      };
      await sink(JSON.stringify(header).slice(0, -1));

      const integrations = await trx
        .selectFrom('integrations')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      await sink(`,"integrations":${JSON.stringify(integrations.map(integrationView))}`);
      for (const table of ['products', 'orders'] as const) {
        await writeArray(sink, table, (after) => catalogueBatch(trx, table, accountId, after), catalogueView);
      }
      const requests = await trx
        .selectFrom('support_requests')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .execute();
      const replies =
        requests.length === 0
          ? []
          : await trx
              .selectFrom('support_request_replies')
              .selectAll()
              .where(
                'support_request_id',
                'in',
                requests.map((row) => row.id),
              )
              .orderBy('created_at')
              .execute();
      await sink(`,"supportRequests":${JSON.stringify(requests.map((row) => supportRequestView(row, replies)))}`);
      await writeArray(sink, 'auditTrail', (after) => auditBatch(trx, accountId, after), auditEventView);
      await sink('}');
    });
}

async function writeArray<Row extends { id: string }>(
  sink: ExportSink,
  name: string,
  nextBatch: (after: string | undefined) => Promise<Row[]>,
  view: (row: Row) => unknown,
): Promise<void> {
  await sink(`,"${name}":[`);
  let after: string | undefined;
  let first = true;
  for (;;) {
    const rows = await nextBatch(after);
    if (rows.length === 0) break;
    await sink((first ? '' : ',') + rows.map((row) => JSON.stringify(view(row))).join(','));
    first = false;
    after = rows.at(-1)!.id;
    if (rows.length < BATCH_SIZE) break;
  }
  await sink(']');
}

type Reader = Kysely<Database> | Transaction<Database>;

function catalogueBatch(db: Reader, table: 'products' | 'orders', accountId: string, after: string | undefined) {
  let query = db.selectFrom(table).selectAll().where('account_id', '=', accountId);
  if (after !== undefined) query = query.where('id', '>', after);
  return query.orderBy('id').limit(BATCH_SIZE).execute();
}

function auditBatch(db: Reader, accountId: string, after: string | undefined) {
  let query = db.selectFrom('audit_events').selectAll().where('account_id', '=', accountId);
  if (after !== undefined) query = query.where('id', '>', after);
  return query.orderBy('id').limit(BATCH_SIZE).execute();
}

/** An audit event as the merchant reads it (GET /v1/account/events and the export). */
export function auditEventView(event: {
  id: string;
  account_id: string | null;
  actor_id: string | null;
  type: string;
  created_at: Date;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}) {
  // What support or the service did shows as theirs, without the agent's address or browser.
  const actor = event.actor_id === event.account_id ? 'self' : event.actor_id === null ? 'system' : 'support';
  return {
    id: event.id,
    type: event.type,
    at: event.created_at.toISOString(),
    actor,
    ip: actor === 'self' ? event.ip : null,
    userAgent: actor === 'self' ? event.user_agent : null,
    details: actor === 'support' ? withoutAgentNote(event.details) : event.details,
  };
}

/**
 * The reason an agent gives for a hold or a release is a note for the support team (who may
 * write what they were told by others), not a message to the merchant: the trail says that
 * support acted and when, the reason stays in the service's own records.
 */
function withoutAgentNote(details: Record<string, unknown>): Record<string, unknown> {
  const { reason: _reason, ...shown } = details;
  return shown;
}
