import { type Kysely, sql } from 'kysely';
import type { Database, OutboxMail } from '../db/database';
import type { Logger } from '../logger';
import { startPoller } from '../poller';
import type { MailTransport } from './transport';

export interface DispatcherDeps {
  db: Kysely<Database>;
  logger: Logger;
  transport: MailTransport;
  from: string;
  pollIntervalMs: number;
  maxBackoffMs: number;
}

// Mails leased per round; small enough that a slow SMTP server does not hold many at once.
const BATCH_SIZE = 20;
const BASE_BACKOFF_MS = 1_000;
// Longer than any one SMTP send; a dispatcher that dies leaves its mails to others after this.
const LEASE_MS = 2 * 60_000;

/**
 * Delivers the transactional outbox. Due mails are leased in a short transaction (FOR UPDATE
 * SKIP LOCKED, then `locked_until`), so any number of workers share the table without sending a
 * mail twice, and no transaction stays open across SMTP. Each mail is marked sent on its own
 * right after the server accepts it; a failure backs off exponentially and retries until it
 * succeeds, so an SMTP outage delays mail but loses none. A crash between the SMTP accept and
 * that mark is the one way to a second copy; the Message-ID is the outbox key, so a receiver
 * can tell.
 */
export async function deliverDueMail(deps: DispatcherDeps): Promise<number> {
  const leased = await deps.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('mail_outbox')
      .select(['id', 'idempotency_key', 'to_address', 'subject', 'text_body', 'attempts'])
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
      .orderBy('id')
      .limit(BATCH_SIZE)
      .forUpdate()
      .skipLocked()
      // Only delivered mail has its address and subject cleared.
      .$narrowType<{ to_address: string; subject: string }>()
      .execute();
    if (due.length > 0) {
      await trx
        .updateTable('mail_outbox')
        .set({ locked_until: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
        .where(
          'id',
          'in',
          due.map((mail) => mail.id),
        )
        .execute();
    }
    return due;
  });

  // Side by side: the transport's connection pool bounds how many are on the wire at once. Each
  // settles before the round ends; a database error marking one does not cut the others short.
  const outcomes = await Promise.allSettled(leased.map((mail) => deliver(deps, mail)));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return leased.length;
}

type LeasedMail = Pick<OutboxMail, 'id' | 'idempotency_key' | 'text_body' | 'attempts'> & {
  to_address: string;
  subject: string;
};

/** Sends one leased mail, then marks it sent, or failed with its next attempt backed off. */
async function deliver(deps: DispatcherDeps, mail: LeasedMail): Promise<void> {
  try {
    await deps.transport.send({
      id: mail.idempotency_key,
      from: deps.from,
      to: mail.to_address,
      subject: mail.subject,
      text: mail.text_body ?? '',
    });
  } catch (error) {
    const backoff = Math.min(deps.maxBackoffMs, BASE_BACKOFF_MS * 2 ** mail.attempts);
    deps.logger.warn(
      { mailId: mail.id, attempts: mail.attempts + 1, err: errorSummary(error, mail.to_address) },
      'mail delivery failed; will retry',
    );
    await deps.db
      .updateTable('mail_outbox')
      .set({
        attempts: mail.attempts + 1,
        last_error: errorSummary(error, mail.to_address),
        locked_until: null,
        next_attempt_at: sql`now() + ${`${backoff} milliseconds`}::interval`,
      })
      .where('id', '=', mail.id)
      .execute();
    return;
  }
  // The subject and body may hold a one-time code, the address is personal: once delivered,
  // none has a reason to stay. The key says which mail it was.
  await deps.db
    .updateTable('mail_outbox')
    .set({
      sent_at: sql`now()`,
      to_address: null,
      subject: null,
      text_body: null,
      attempts: mail.attempts + 1,
      last_error: null,
      locked_until: null,
    })
    .where('id', '=', mail.id)
    .execute();
}

// Anything shaped like an address: servers echo the recipient in their refusals
// ("550 <bob@example.com>: Recipient address rejected").
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An SMTP error's code and message, never the message content nor an address: it is logged and
 * kept on the row (last_error) until the mail goes out. Some servers name only the recipient's
 * local part ("550 5.1.1 bob... User unknown", as sendmail does): that goes too.
 */
function errorSummary(error: unknown, recipient?: string): string {
  if (!(error instanceof Error)) return 'unknown error';
  let summary = `${(error as { code?: string }).code ?? error.name}: ${error.message}`.replace(ADDRESS, '<address>');
  const localPart = recipient?.split('@')[0];
  if (localPart) summary = summary.replace(new RegExp(escapeRegExp(localPart), 'gi'), '<address>');
  return summary.slice(0, 500);
}

export interface MailDispatcher {
  /** Delivers what is due now, without waiting for the next poll. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startMailDispatcher(deps: DispatcherDeps): MailDispatcher {
  const poller = startPoller({
    handleBatch: () => deliverDueMail(deps),
    batchSize: BATCH_SIZE,
    intervalMs: deps.pollIntervalMs,
    onError: (error) => deps.logger.error({ err: errorSummary(error) }, 'mail dispatcher round failed'),
  });
  return {
    flush: () => poller.flush(),
    async stop() {
      await poller.stop();
      deps.transport.close();
    },
  };
}
