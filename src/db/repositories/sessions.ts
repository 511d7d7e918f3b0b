import { type CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import { poolOf } from '../connection';
import type { Account, AccountsTable, Database, SessionScope } from '../database';
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
  /** When the session was last recorded as seen (its start until the first touch). */
  lastSeenAt: Date;
  accountId: string;
  /** The account's roles, sorted. */
  roles: string[];
  /** Recovery codes of the account not used yet (0 without 2FA). */
  recoveryCodesLeft: number;
  /** The account row as read with the session. Writers lock and re-read it in their transaction. */
  account: Account;
}

// Every column of accounts, named: a prepared statement selecting `accounts.*` would fail
// ("cached plan must not change result type") once a migration adds a column under a running
// process. A column missing here fails to compile: the lookup must return a whole Account.
const ACCOUNT_COLUMNS = [
  'id',
  'email',
  'email_verified_at',
  'pending_email',
  'password_hash',
  'password_changed_at',
  'password_expired_at',
  'full_name',
  'trade_name',
  'country',
  'city',
  'date_of_birth',
  'phone',
  'status',
  'closed_at',
  'purge_at',
  'two_factor_method',
  'language',
  'locked_at',
  'created_at',
  'updated_at',
  'login_challenges_valid_after',
] as const satisfies ReadonlyArray<keyof AccountsTable>;

// Stands in for the token hash when the statement is built; swapped for the real one by identity.
const TOKEN_HASH = Buffer.alloc(0);

/** The session lookup, built once with Kysely; the token hash is its only parameter. */
function liveSessionStatement(db: Kysely<Database>) {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(ACCOUNT_COLUMNS.map((column) => `accounts.${column}` as const))
    .select(['sessions.id as session_id', 'sessions.scope as session_scope'])
    .select(sql<Date>`coalesce(sessions.last_seen_at, sessions.created_at)`.as('session_last_seen_at'))
    .select(
      sql<
        string[]
      >`array(select role from account_roles where account_roles.account_id = sessions.account_id order by role)`.as(
        'session_roles',
      ),
    )
    .select(
      sql<number>`(select count(*)::int from recovery_codes where recovery_codes.account_id = sessions.account_id and used_at is null)`.as(
        'session_recovery_codes_left',
      ),
    )
    .where('sessions.token_hash', '=', TOKEN_HASH)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('accounts.status', '=', sql.lit('active'))
    .compile();
}

let liveSession: ReturnType<typeof liveSessionStatement> | undefined;
type RowOf<Statement> = Statement extends CompiledQuery<infer Row> ? Row : never;

/**
 * The live session a bearer token names (not revoked, not expired, on an active account) with
 * its account and the account's roles: one statement, since every authenticated request needs
 * the session and most need the account. It runs on every authenticated request, so it is a
 * named prepared statement: PostgreSQL parses and plans it once per connection rather than each
 * time (about 120 µs less per request here; see BENCHMARKS.md). Kysely builds it; pg runs it by
 * name, as Kysely does not name statements. (Behind PgBouncer in transaction mode, named
 * statements need its `max_prepared_statements`.)
 */
export async function findLiveSession(db: Kysely<Database>, token: string): Promise<SessionAccount | undefined> {
  liveSession ??= liveSessionStatement(db);
  const values = liveSession.parameters.map((value) => (value === TOKEN_HASH ? hashToken(token) : value));
  const { rows } = await poolOf(db).query<RowOf<typeof liveSession>>({
    name: 'find-live-session',
    text: liveSession.sql,
    values,
  });
  const row = rows[0];
  if (row === undefined) return undefined;
  const {
    session_id: sessionId,
    session_scope: scope,
    session_roles: roles,
    session_last_seen_at: lastSeenAt,
    session_recovery_codes_left: recoveryCodesLeft,
    ...account
  } = row;
  return { sessionId, scope, lastSeenAt, accountId: account.id, roles, recoveryCodesLeft, account };
}

export async function revokeSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
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

/**
 * Records that the session was used, at most once per `intervalMs`: the condition is in the
 * statement, so concurrent requests and several API processes write once between them.
 */
export async function touchSession(db: Kysely<Database>, sessionId: string, intervalMs: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()` })
    .where('id', '=', sessionId)
    .where((eb) =>
      eb.or([
        eb('last_seen_at', 'is', null),
        eb('last_seen_at', '<', sql<Date>`now() - make_interval(secs => ${intervalMs / 1000})`),
      ]),
    )
    .execute();
}

export interface LiveSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** The account's live sessions (not revoked, not expired), most recently used first. Never the token hash. */
export async function listLiveSessions(db: Kysely<Database>, accountId: string): Promise<LiveSession[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'ip', 'user_agent'])
    .select(sql<Date>`coalesce(last_seen_at, created_at)`.as('last_seen'))
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('last_seen', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen,
    ip: row.ip,
    userAgent: row.user_agent,
  }));
}

/** Revokes one live session of the account; false when the account has no such live session. */
export async function revokeAccountSession(
  db: Kysely<Database>,
  accountId: string,
  sessionId: string,
): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', sessionId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
