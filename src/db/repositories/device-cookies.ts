import { type Kysely, sql } from 'kysely';
import { generateToken, hashToken } from '../../domain/codes';
import type { Database } from '../database';
import { normalizeEmail } from './accounts';

/** A device that has not signed in for this long is a stranger again. */
export const KNOWN_DEVICE_TTL_MS = 180 * 24 * 60 * 60_000;
/** The devices an account remembers, newest first; clients that keep no cookie add one per login. */
const KNOWN_DEVICES_PER_ACCOUNT = 50;

/**
 * The known-device record of `deviceToken` for the account of `email`, when that client has
 * signed in to it before (within KNOWN_DEVICE_TTL_MS). One indexed lookup; an unknown email
 * finds nothing, exactly like an unknown token.
 */
export async function findKnownDevice(
  db: Kysely<Database>,
  email: string,
  deviceToken: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('device_cookies')
    .innerJoin('accounts', 'accounts.id', 'device_cookies.account_id')
    .select('device_cookies.id')
    .where('accounts.email', '=', normalizeEmail(email))
    .where('device_cookies.token_hash', '=', hashToken(deviceToken))
    .where('device_cookies.last_seen_at', '>', new Date(Date.now() - KNOWN_DEVICE_TTL_MS))
    .executeTakeFirst();
}

/**
 * Records that the client signed in to the account: its existing device token (from its cookie)
 * or a new one. Returns the token the client should keep. Idempotent per token and account.
 */
export async function rememberDevice(
  db: Kysely<Database>,
  accountId: string,
  deviceToken: string | undefined,
): Promise<string> {
  const token = deviceToken ?? generateToken();
  await db
    .insertInto('device_cookies')
    .values({ account_id: accountId, token_hash: hashToken(token) })
    .onConflict((oc) => oc.columns(['token_hash', 'account_id']).doUpdateSet({ last_seen_at: sql`now()` }))
    .execute();
  await db
    .deleteFrom('device_cookies')
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb('last_seen_at', '<', new Date(Date.now() - KNOWN_DEVICE_TTL_MS)),
        eb(
          'id',
          'not in',
          eb
            .selectFrom('device_cookies')
            .select('id')
            .where('account_id', '=', accountId)
            .orderBy('last_seen_at', 'desc')
            .limit(KNOWN_DEVICES_PER_ACCOUNT),
        ),
      ]),
    )
    .execute();
  return token;
}
