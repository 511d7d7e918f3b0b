import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/connection';
import { insertAccount } from '../../src/db/repositories/accounts';
import { createSession, findLiveSession } from '../../src/db/repositories/sessions';
import { useTestDatabase } from '../helpers/db';
import { uniqueEmail } from '../helpers/merchant';

const database = useTestDatabase();

describe('session lookup', () => {
  it('when a migration adds a column to accounts under a running process, then its prepared session lookup keeps working', async () => {
    // One connection, so the second lookup reuses the statement the first one prepared.
    const db = createDb(database().url, 1);
    try {
      const account = (await database()
        .db.transaction()
        .execute((trx) => insertAccount(trx, { email: uniqueEmail('prepared'), passwordHash: 'x' })))!;
      const session = await createSession(database().db, {
        accountId: account.id,
        scope: 'full',
        ttlMs: 60_000,
        context: { ip: null, userAgent: null },
        audit: { accountId: account.id, type: 'login' },
      });
      expect((await findLiveSession(db, session.token))?.account.email).toBe(account.email);

      await sql`alter table accounts add column added_later text`.execute(database().db);
      const again = await findLiveSession(db, session.token);
      expect(again).toMatchObject({ sessionId: session.id, accountId: account.id, roles: [] });
      expect(again?.account).not.toHaveProperty('added_later');
    } finally {
      await db.destroy();
    }
  });
});
