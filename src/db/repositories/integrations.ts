import type { Kysely } from 'kysely';
import type { Database, Integration } from '../database';
import { lockActiveSession } from './closure';

/**
 * The integration as written, or `account_inactive` when the account was closed or the session
 * ended meanwhile (nothing written).
 */
export type IntegrationWrite = Integration | 'account_inactive' | undefined;

export function listIntegrations(db: Kysely<Database>, accountId: string): Promise<Integration[]> {
  return db.selectFrom('integrations').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
}

/** The session writing, and its account. */
export interface IntegrationWriter {
  accountId: string;
  sessionId: string;
}

/**
 * Adds an integration, on. Under the account's lock and only while the writing session lives, so
 * a closure either comes after it (and turns it off with the others) or before it (and nothing
 * is written), even when a login has reactivated the account since (see lockActiveSession).
 */
export function createIntegration(
  db: Kysely<Database>,
  writer: IntegrationWriter,
  input: { marketplace: string; name: string },
): Promise<IntegrationWrite> {
  const { accountId } = writer;
  return db.transaction().execute(async (trx) => {
    if (!(await lockActiveSession(trx, writer))) return 'account_inactive';
    return trx
      .insertInto('integrations')
      .values({ account_id: accountId, marketplace: input.marketplace, name: input.name })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Turns one integration on or off, under the account's lock (see createIntegration); undefined when it is not the account's. */
export function setIntegrationActive(
  db: Kysely<Database>,
  writer: IntegrationWriter,
  integrationId: string,
  active: boolean,
): Promise<IntegrationWrite> {
  const { accountId } = writer;
  return db.transaction().execute(async (trx) => {
    if (!(await lockActiveSession(trx, writer))) return 'account_inactive';
    return trx
      .updateTable('integrations')
      .set({ active, updated_at: new Date() })
      .where('id', '=', integrationId)
      .where('account_id', '=', accountId)
      .returningAll()
      .executeTakeFirst();
  });
}
