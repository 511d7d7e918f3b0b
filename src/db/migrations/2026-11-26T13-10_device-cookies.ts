import { type Kysely, sql } from 'kysely';

// Frozen in time. device_cookies: the clients (browsers, API clients keeping cookies) that have
// signed in to an account, each named by the SHA-256 of the random token in its device cookie.
// A right password from a known device is not counted against the account's lockout (OWASP's
// device cookies), so an attacker's failed guesses cannot lock the owner out.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('device_cookies')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('token_hash', 'bytea', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // One cookie per client, known to every account that signed in from it.
    .addUniqueConstraint('device_cookies_token_account_key', ['token_hash', 'account_id'])
    .execute();
  await db.schema.createIndex('device_cookies_account_idx').on('device_cookies').column('account_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('device_cookies').ifExists().execute();
}
