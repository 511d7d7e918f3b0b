import type { Insertable, Kysely, Transaction } from 'kysely';
import type { AuditEvent, AuditEventsTable, Database } from '../database';
import type { AuditEventType } from '../../domain/audit-events';

export type { AuditEventType };

/** Who did it and from where; absent for events a workflow records. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  /** The caller's session, when signed in: re-entering the password counts on its own budget. */
  sessionId?: string;
  /** The token of the client's device cookie, when it sent one (never stored or logged in clear). */
  deviceToken?: string;
}

export interface AuditRecord {
  accountId: string | null;
  actorId?: string | null;
  type: AuditEventType;
  context?: RequestContext;
  /** Never a secret, and no personal data beyond what the event is about. */
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Kysely<Database> | Transaction<Database>, event: AuditRecord): Promise<void> {
  await db.insertInto('audit_events').values(auditRow(event)).execute();
}

/** Several events in one statement (one per merchant a support agent's page showed). */
export async function recordAudits(
  db: Kysely<Database> | Transaction<Database>,
  events: readonly AuditRecord[],
): Promise<void> {
  if (events.length === 0) return;
  await db.insertInto('audit_events').values(events.map(auditRow)).execute();
}

/** The audit_events row of an event, for writers that insert it within a larger statement. */
export function auditRow(event: AuditRecord): Insertable<AuditEventsTable> {
  return {
    account_id: event.accountId,
    // Absent: the account acted itself. Null: the service did (a flow's step), no one in person.
    actor_id: event.actorId === undefined ? event.accountId : event.actorId,
    type: event.type,
    ip: event.context?.ip ?? null,
    user_agent: event.context?.userAgent ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
}

/** The account's own trail, newest first; `before` is the cursor (an event id) from the previous page. */
export function listAuditEvents(
  db: Kysely<Database>,
  accountId: string,
  page: { limit: number; before?: string },
): Promise<AuditEvent[]> {
  let query = db.selectFrom('audit_events').selectAll().where('account_id', '=', accountId);
  if (page.before !== undefined) query = query.where('id', '<', page.before);
  return query.orderBy('id', 'desc').limit(page.limit).execute();
}
