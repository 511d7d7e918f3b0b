import type { Language } from '../domain/language';
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { SupportRequestStatus } from '../domain/support-request-status';

// Nullable columns are `T | null`, never optional: a row always has every column.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** bigint identity columns come back from pg as strings; we never do arithmetic on them. */
type BigId = ColumnType<string, never, never>;

export type AccountStatus = 'active' | 'closed';
export type TwoFactorMethod = 'totp' | 'email';
export type SessionScope = 'full' | 'password_change';

export interface AccountsTable {
  id: Generated<string>;
  email: string;
  email_verified_at: Date | null;
  pending_email: string | null;
  password_hash: string;
  password_changed_at: Timestamp;
  password_expired_at: Date | null;
  full_name: string | null;
  trade_name: string | null;
  country: string | null;
  city: string | null;
  /** `YYYY-MM-DD`; pg's date parser is switched off so no time zone can shift it. */
  date_of_birth: string | null;
  phone: string | null;
  status: ColumnType<AccountStatus, AccountStatus | undefined, AccountStatus>;
  closed_at: Date | null;
  purge_at: Date | null;
  two_factor_method: TwoFactorMethod | null;
  language: ColumnType<Language, Language | undefined, Language>;
  /** Set by a "This wasn't me" lock: login is refused until a password reset clears it. */
  locked_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Login challenges issued at or before this instant cannot complete (set by a password change or reset). */
  login_challenges_valid_after: Date | null;
}

export interface AccountRolesTable {
  account_id: string;
  role: 'support';
  granted_at: CreatedAt;
}

export interface SessionsTable {
  id: Generated<string>;
  account_id: string;
  token_hash: Buffer;
  scope: SessionScope;
  created_at: CreatedAt;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
  /** Written at most once a minute per session; null until the first such write. */
  last_seen_at: Date | null;
}

export interface VerificationCodesTable {
  id: Generated<string>;
  account_id: string;
  purpose: string;
  issue_key: string;
  code_hash: string;
  target_email: string | null;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface TotpCredentialsTable {
  account_id: string;
  secret_encrypted: string;
  setup_expires_at: Date;
  confirmed_at: Date | null;
  last_used_step: string | null;
  created_at: CreatedAt;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  account_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface PasswordHistoryTable {
  id: BigId;
  account_id: string;
  password_hash: string;
  created_at: CreatedAt;
}

export interface PreparedPasswordChangesTable {
  id: Generated<string>;
  /** Null for the decoy's row: a reset confirmed for an address without an account (see the migration). */
  account_id: string | null;
  password_hash: string;
  created_at: CreatedAt;
}

/** A forgotten-password request for an address without an account (see the migration). */
export interface PasswordResetDecoysTable {
  address_key: string;
  issued_at: Generated<Date>;
  expires_at: Date;
  attempts: Generated<number>;
}

export interface LockTokensTable {
  id: Generated<string>;
  account_id: string;
  token_hash: Buffer;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface EmailChangesTable {
  id: Generated<string>;
  account_id: string;
  old_email: string;
  new_email: string;
  changed_at: CreatedAt;
  reverted_at: Date | null;
}

export interface KnownDevicesTable {
  account_id: string;
  device_key: string;
  first_seen_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface IntegrationsTable {
  id: Generated<string>;
  account_id: string;
  marketplace: string;
  name: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Products and orders share a shape: what the panel imported from a marketplace. */
export interface CatalogueRowTable {
  id: BigId;
  account_id: string;
  integration_id: string | null;
  reference: string;
  title: string;
  amount_cents: ColumnType<string, number | string | undefined, number | string>;
  created_at: CreatedAt;
}

export interface SupportRequestsTable {
  id: Generated<string>;
  account_id: string;
  subject: string;
  message: string;
  status: ColumnType<SupportRequestStatus, SupportRequestStatus | undefined, SupportRequestStatus>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SupportRequestRepliesTable {
  id: Generated<string>;
  support_request_id: string;
  /** The agent's account id; no foreign key, so a reply outlives its author's account. */
  author_id: string;
  message: string;
  created_at: CreatedAt;
}

export interface RecoveryHoldsTable {
  id: Generated<string>;
  account_id: string;
  placed_by: string;
  reason: string;
  placed_at: CreatedAt;
  released_by: string | null;
  release_reason: string | null;
  released_at: Date | null;
}

export interface AuditEventsTable {
  id: BigId;
  account_id: string | null;
  actor_id: string | null;
  type: string;
  ip: string | null;
  user_agent: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: CreatedAt;
}

export interface MailOutboxTable {
  id: BigId;
  idempotency_key: string;
  /** Null once delivered, with the subject and body: the row then keeps nothing personal or secret. */
  to_address: ColumnType<string | null, string, null>;
  subject: ColumnType<string | null, string, null>;
  text_body: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  locked_until: Date | null;
  sent_at: Date | null;
  created_at: CreatedAt;
}

/** Rows a purge has deleted, per account and table; written by the statement that deletes them. */
export interface PurgeProgressTable {
  account_id: string;
  table_name: string;
  deleted: ColumnType<string, number | undefined, never>;
}

/** A client that has signed in to the account, named by the hash of its device cookie's token. */
export interface DeviceCookiesTable {
  id: Generated<string>;
  account_id: string;
  token_hash: Buffer;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface TemporalOutboxTable {
  id: BigId;
  /** The workflow the command is for: a newer command for the same workflow supersedes older ones. */
  workflow_id: string;
  command: ColumnType<TemporalCommand, TemporalCommand, never>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Date | null;
  last_error: string | null;
  created_at: CreatedAt;
}

/** What the service asks of Temporal after a change it has committed. Each is idempotent to deliver. */
export type TemporalCommand =
  | { kind: 'start_code_flow'; accountId: string; purpose: 'signup' | 'email_change' }
  | { kind: 'password_changed'; accountId: string; changedAt: number }
  /** The closure flow of an account the API has closed; `purgeAt` is the date the database holds (epoch ms). */
  | { kind: 'start_closure'; accountId: string; closedAt: number; purgeAt: number };

export interface Database {
  accounts: AccountsTable;
  account_roles: AccountRolesTable;
  sessions: SessionsTable;
  verification_codes: VerificationCodesTable;
  totp_credentials: TotpCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  password_history: PasswordHistoryTable;
  prepared_password_changes: PreparedPasswordChangesTable;
  password_reset_decoys: PasswordResetDecoysTable;
  lock_tokens: LockTokensTable;
  email_changes: EmailChangesTable;
  known_devices: KnownDevicesTable;
  integrations: IntegrationsTable;
  products: CatalogueRowTable;
  orders: CatalogueRowTable;
  support_requests: SupportRequestsTable;
  support_request_replies: SupportRequestRepliesTable;
  recovery_holds: RecoveryHoldsTable;
  audit_events: AuditEventsTable;
  mail_outbox: MailOutboxTable;
  purge_progress: PurgeProgressTable;
  device_cookies: DeviceCookiesTable;
  temporal_outbox: TemporalOutboxTable;
}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type Session = Selectable<SessionsTable>;
export type Integration = Selectable<IntegrationsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type SupportRequest = Selectable<SupportRequestsTable>;
export type SupportRequestReply = Selectable<SupportRequestRepliesTable>;
export type OutboxMail = Selectable<MailOutboxTable>;
