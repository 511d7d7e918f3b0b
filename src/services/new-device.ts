import { sql } from 'kysely';
import type { Account } from '../db/database';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { enqueueSecurityMail } from '../db/repositories/security-mail';
import { hashToken } from '../domain/codes';
import { deviceFamily, deviceKey, networkOf } from '../domain/devices';
import { mailsIn } from '../mail/copy';
import type { ServiceDeps } from './deps';

// A device unused this long counts as new again.
const DEVICE_MEMORY_MS = 90 * 86_400_000;

/**
 * Records the device of a successful sign-in and, when the account has not seen it in the last
 * 90 days, mails the owner (with the lock link). The account's very first device is recorded
 * silently: that sign-in is the merchant's own, right after sign-up. Once per new device: two
 * sign-ins racing from it read the same "last seen" and share the mail's key.
 */
export async function noticeSignInDevice(
  deps: ServiceDeps,
  account: Pick<Account, 'id' | 'email' | 'language'>,
  context: RequestContext,
): Promise<void> {
  const key = deviceKey(context.ip, context.userAgent);
  await deps.db.transaction().execute(async (trx) => {
    const known = await trx
      .selectFrom('known_devices')
      .select(['device_key', 'last_seen_at'])
      .where('account_id', '=', account.id)
      .execute();
    const previous = known.find((device) => device.device_key === key);
    await trx
      .insertInto('known_devices')
      .values({ account_id: account.id, device_key: key })
      .onConflict((oc) => oc.columns(['account_id', 'device_key']).doUpdateSet({ last_seen_at: sql`now()` }))
      .execute();
    const isNew = previous === undefined || previous.last_seen_at.getTime() < Date.now() - DEVICE_MEMORY_MS;
    if (!isNew || known.length === 0) return;
    const device = deviceFamily(context.userAgent);
    await recordAudit(trx, { accountId: account.id, type: 'new_device_sign_in', context, details: { device } });
    await enqueueSecurityMail(trx, {
      publicUrl: deps.config.publicUrl,
      accountId: account.id,
      key: `new-device:${account.id}:${hashToken(key).toString('base64url')}:${previous?.last_seen_at.getTime() ?? 'first'}`,
      to: account.email,
      language: account.language,
      content: mailsIn(account.language).newDevice({
        device,
        network: networkOf(context.ip),
        at: new Date(),
        unseenForMs: DEVICE_MEMORY_MS,
      }),
    });
  });
}
