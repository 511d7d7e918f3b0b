import { type Kysely, sql } from 'kysely';

// Frozen in time: a migration describes the schema as it was on its date. Change the schema
// with a new migration, never by editing this one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Stored lower-cased; the unique index is what refuses a taken address.
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('email_verified_at', 'timestamptz')
    // An email change waits here until the new address is verified; the old one stays in force.
    .addColumn('pending_email', 'text')
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('password_changed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('password_expired_at', 'timestamptz')
    .addColumn('full_name', 'text')
    .addColumn('trade_name', 'text')
    .addColumn('country', 'char(2)')
    .addColumn('city', 'text')
    .addColumn('date_of_birth', 'date')
    .addColumn('phone', 'text')
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'closed')`),
    )
    .addColumn('closed_at', 'timestamptz')
    .addColumn('purge_at', 'timestamptz')
    .addColumn('two_factor_method', 'text', (col) => col.check(sql`two_factor_method in ('totp', 'email')`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('account_roles')
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('support')`))
    .addColumn('granted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('account_roles_pk', ['account_id', 'role'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    // SHA-256 of the bearer token: a leaked table grants no session.
    .addColumn('token_hash', 'bytea', (col) => col.notNull().unique())
    // 'full', or 'password_change' for the token an expired password gets at login.
    .addColumn('scope', 'text', (col) => col.notNull().check(sql`scope in ('full', 'password_change')`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_account_idx').on('sessions').column('account_id').execute();

  await db.schema
    .createTable('verification_codes')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (col) => col.notNull())
    // Which issue of which flow this code is: an activity retried after its commit finds its
    // own row instead of mailing a second code.
    .addColumn('issue_key', 'text', (col) => col.notNull().unique())
    .addColumn('code_hash', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('verification_codes_account_idx').on('verification_codes').column('account_id').execute();

  await db.schema
    .createTable('totp_credentials')
    .addColumn('account_id', 'uuid', (col) => col.primaryKey().references('accounts.id').onDelete('cascade'))
    // AES-256-GCM ciphertext of the base32 secret.
    .addColumn('secret_encrypted', 'text', (col) => col.notNull())
    .addColumn('setup_expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    // The last 30-second step a code was accepted for: a code is accepted once only.
    .addColumn('last_used_step', 'bigint')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('recovery_codes_account_idx').on('recovery_codes').column('account_id').execute();

  await db.schema
    .createTable('password_history')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('password_history_account_idx')
    .on('password_history')
    .columns(['account_id', 'id'])
    .execute();

  await db.schema
    .createTable('integrations')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // No foreign key to accounts: the purge deletes these in batches before the account.
    .addColumn('account_id', 'uuid', (col) => col.notNull())
    .addColumn('marketplace', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('integrations_account_idx').on('integrations').column('account_id').execute();

  for (const table of ['products', 'orders'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('account_id', 'uuid', (col) => col.notNull())
      .addColumn('integration_id', 'uuid')
      .addColumn('reference', 'text', (col) => col.notNull())
      .addColumn('title', 'text', (col) => col.notNull())
      .addColumn('amount_cents', 'bigint', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
      .execute();
    // (account_id, id) lets the purge walk an account's rows in id order, batch after batch.
    await db.schema.createIndex(`${table}_account_idx`).on(table).columns(['account_id', 'id']).execute();
  }

  await db.schema
    .createTable('support_requests')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('open'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('support_requests_account_idx')
    .on('support_requests')
    .columns(['account_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('recovery_holds')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('placed_by', 'uuid', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('placed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('released_by', 'uuid')
    .addColumn('release_reason', 'text')
    .addColumn('released_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    // No foreign keys: the trail outlives a purged account (its personal fields are scrubbed).
    .addColumn('account_id', 'uuid')
    .addColumn('actor_id', 'uuid')
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('audit_events_account_idx').on('audit_events').columns(['account_id', 'id']).execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    // The writer's own key (flow and step): a retried writer inserts nothing the second time.
    .addColumn('idempotency_key', 'text', (col) => col.notNull().unique())
    .addColumn('to_address', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    // Cleared once delivered: a mailed code does not linger in the table.
    .addColumn('text_body', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('mail_outbox_due_idx')
    .on('mail_outbox')
    .column('next_attempt_at')
    .where(sql.ref('sent_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'mail_outbox',
    'audit_events',
    'recovery_holds',
    'support_requests',
    'orders',
    'products',
    'integrations',
    'password_history',
    'recovery_codes',
    'totp_credentials',
    'verification_codes',
    'sessions',
    'account_roles',
    'accounts',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
