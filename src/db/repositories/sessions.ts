import { type Kysely, sql, type Transaction } from 'kysely';
import type { Account, Database, SessionScope } from '../database';
import { generateToken, hashToken } from '../../domain/codes';
import { type AuditRecord, auditRow, type RequestContext } from './audit';

export interface IssuedSession {
  id: string;
  token: string;
  expiresAt: Date;
}

/**
 * Creates a session and records the event that opened it, in one statement (so both or neither
 * are written); returns its bearer token, which is stored only as a hash.
 */
export async function createSession(
  db: Kysely<Database>,
  input: { accountId: string; scope: SessionScope; ttlMs: number; context: RequestContext; audit: AuditRecord },
): Promise<IssuedSession> {
  const token = generateToken();
  const expiresAt = new Date(Date.now() + input.ttlMs);
  const { id } = await db
    .with('audited', (cte) => cte.insertInto('audit_events').values(auditRow(input.audit)))
    .insertInto('sessions')
    .values({
      account_id: input.accountId,
      token_hash: hashToken(token),
      scope: input.scope,
      expires_at: expiresAt,
      ip: input.context.ip,
      user_agent: input.context.userAgent,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, token, expiresAt };
}

export interface SessionAccount {
  sessionId: string;
  scope: SessionScope;
  accountId: string;
  /** The account's roles, sorted. */
  roles: string[];
  /** The account row as read with the session. Writers lock and re-read it in their transaction. */
  account: Account;
}

/**
 * The live session a bearer token names (not revoked, not expired, on an active account) with
 * its account and the account's roles: one statement, since every authenticated request needs
 * the session and most need the account.
 */
export async function findLiveSession(db: Kysely<Database>, token: string): Promise<SessionAccount | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .selectAll('accounts')
    .select(['sessions.id as session_id', 'sessions.scope as session_scope'])
    .select(sql<string[]>`array(select role from account_roles where account_roles.account_id = sessions.account_id order by role)`.as('session_roles'))
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('accounts.status', '=', 'active')
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const { session_id: sessionId, session_scope: scope, session_roles: roles, ...account } = row;
  return { sessionId, scope, accountId: account.id, roles, account };
}

export async function revokeSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: sql`now()` }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

/** Revokes every session of the account except `keep` (the one making the change, when any). */
export async function revokeAccountSessions(
  db: Kysely<Database> | Transaction<Database>,
  accountId: string,
  keep?: string,
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null);
  if (keep !== undefined) query = query.where('id', '!=', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
