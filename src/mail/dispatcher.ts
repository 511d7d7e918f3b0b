import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { MailTransport } from './transport';

export interface DispatcherDeps {
  db: Kysely<Database>;
  logger: Logger;
  transport: MailTransport;
  from: string;
  pollIntervalMs: number;
  maxBackoffMs: number;
}

// Mails claimed per round; small enough that a slow SMTP server does not hold rows for long.
const BATCH_SIZE = 20;
const BASE_BACKOFF_MS = 1_000;

/**
 * Delivers the transactional outbox. A mail is claimed with FOR UPDATE SKIP LOCKED, so any
 * number of workers share the table without sending a mail twice; a failed send is retried with
 * exponential backoff until it succeeds, so an SMTP outage delays mail but loses none.
 * Delivery is at-least-once only across a crash between the SMTP accept and the commit; the
 * Message-ID is the outbox id, so such a redelivery is recognisable.
 */
export function deliverDueMail(deps: DispatcherDeps): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('mail_outbox')
      .select(['id', 'idempotency_key', 'to_address', 'subject', 'text_body', 'attempts'])
      .where('sent_at', 'is', null)
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .orderBy('id')
      .limit(BATCH_SIZE)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const mail of due) {
      try {
        await deps.transport.send({
          id: mail.idempotency_key,
          from: deps.from,
          to: mail.to_address,
          subject: mail.subject,
          text: mail.text_body ?? '',
        });
        // The body may hold a one-time code: once delivered it has no reason to stay.
        await trx
          .updateTable('mail_outbox')
          .set({ sent_at: sql`now()`, text_body: null, attempts: mail.attempts + 1, last_error: null })
          .where('id', '=', mail.id)
          .execute();
      } catch (error) {
        const backoff = Math.min(deps.maxBackoffMs, BASE_BACKOFF_MS * 2 ** mail.attempts);
        deps.logger.warn({ mailId: mail.id, attempts: mail.attempts + 1, err: errorSummary(error) }, 'mail delivery failed; will retry');
        await trx
          .updateTable('mail_outbox')
          .set({
            attempts: mail.attempts + 1,
            last_error: errorSummary(error),
            next_attempt_at: sql`now() + ${`${backoff} milliseconds`}::interval`,
          })
          .where('id', '=', mail.id)
          .execute();
      }
    }
    return due.length;
  });
}

/** An SMTP error's code and message, never the message content. */
function errorSummary(error: unknown): string {
  if (error instanceof Error) return `${(error as { code?: string }).code ?? error.name}: ${error.message}`.slice(0, 500);
  return 'unknown error';
}

export interface MailDispatcher {
  /** Delivers what is due now, without waiting for the next poll. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startMailDispatcher(deps: DispatcherDeps): MailDispatcher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  const runRound = async (): Promise<void> => {
    try {
      // Keep going while full batches come back: a backlog drains without waiting a poll each.
      while (!stopped && (await deliverDueMail(deps)) === BATCH_SIZE);
    } catch (error) {
      deps.logger.error({ err: errorSummary(error) }, 'mail dispatcher round failed');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = runRound().finally(schedule);
    }, deps.pollIntervalMs);
  };
  schedule();

  return {
    async flush() {
      await round;
      round = runRound();
      await round;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
      deps.transport.close();
    },
  };
}
