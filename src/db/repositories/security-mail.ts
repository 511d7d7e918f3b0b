import { sql, type Kysely, type Transaction } from 'kysely';
import { generateToken, hashToken } from '../../domain/codes';
import type { Language } from '../../domain/language';
import { type MailContent, mailsIn } from '../../mail/copy';
import type { Database } from '../database';
import { enqueueMail } from './outbox';

type Db = Kysely<Database> | Transaction<Database>;

// Long enough to read a week's mail; the link is single-use besides.
export const LOCK_LINK_TTL_MS = 7 * 86_400_000;
const SIGNATURE = /\n\n— ConnectProf$/;

/**
 * Mails a security notice with a single-use "This wasn't me" link (PUBLIC_URL/lock?token=…). The
 * token is stored only as its SHA-256; the clear one lives in the mail, whose body the outbox
 * clears once delivered. Written in the caller's transaction, so the notice exists exactly when
 * the change does; a retried writer (same key) mails once.
 */
export async function enqueueSecurityMail(
  db: Db,
  input: { publicUrl: string; accountId: string; to: string; key: string; language: Language; content: MailContent },
): Promise<void> {
  const token = generateToken();
  await db
    .insertInto('lock_tokens')
    .values({
      account_id: input.accountId,
      token_hash: hashToken(token),
      expires_at: new Date(Date.now() + LOCK_LINK_TTL_MS),
    })
    .execute();
  const paragraph = mailsIn(input.language).lockLinkParagraph({
    link: `${input.publicUrl}/lock?token=${token}`,
    validForMs: LOCK_LINK_TTL_MS,
  });
  const signature = SIGNATURE.exec(input.content.text)?.[0] ?? '';
  const body = input.content.text.slice(0, input.content.text.length - signature.length);
  await enqueueMail(db, {
    key: input.key,
    to: input.to,
    subject: input.content.subject,
    text: `${body}\n\n${paragraph}${signature}`,
  });
}

/** Uses a lock token, atomically (of two uses, one wins); the account it locks, or undefined when used or expired. */
export async function useLockToken(trx: Transaction<Database>, token: string): Promise<string | undefined> {
  const row = await trx
    .updateTable('lock_tokens')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id;
}
