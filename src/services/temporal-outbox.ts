import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config';
import type { Database, TemporalCommand } from '../db/database';
import {
  completeCommand,
  enqueueTemporalCommand,
  findPendingCommand,
  leaseDueCommands,
  type PendingCommand,
  retryCommandLater,
} from '../db/repositories/temporal-outbox';
import type { Logger } from '../logger';
import { type Poller, startPoller } from '../poller';
import { accountClosureWorkflowId, codeFlowWorkflowId, passwordRotationWorkflowId } from '../shared/workflow-ids';
import { startClosureFlow } from './closure-flow';
import { startCodeFlow } from './code-flows';
import { notifyPasswordRotation } from './password-rotation';

// A change and what Temporal must hear of it are committed together: the command is a row of the
// change's own transaction (a transactional outbox). It is delivered right after the commit when
// Temporal answers within TEMPORAL_CALL_TIMEOUT; otherwise the worker's drainer delivers it once
// Temporal is back. So an outage never turns a committed change into a failure, and the flows
// always catch up.

export interface OutboxDeps {
  config: Config;
  db: Kysely<Database>;
  temporal: Client;
  logger: Logger;
}

export interface QueuedCommand {
  id: string;
  command: TemporalCommand;
}

function workflowIdOf(command: TemporalCommand): string {
  switch (command.kind) {
    case 'start_code_flow':
      return codeFlowWorkflowId(command.accountId, command.purpose);
    case 'password_changed':
      return passwordRotationWorkflowId(command.accountId);
    case 'start_closure':
      return accountClosureWorkflowId(command.accountId);
  }
}

/** Writes the command in the change's transaction; deliver it with deliverCommitted after the commit. */
export async function queueTemporalCommand(
  trx: Transaction<Database>,
  config: Config,
  command: TemporalCommand,
): Promise<QueuedCommand> {
  // Leased to the writer for its own attempt (one bounded call, and a margin), so the drainer
  // does not deliver it a second time meanwhile.
  const id = await enqueueTemporalCommand(trx, workflowIdOf(command), command, 3 * config.temporal.callTimeoutMs);
  return { id, command };
}

/**
 * Delivers commands just committed. Never throws: a command that cannot be delivered now stays
 * in the outbox for the drainer, and the change it follows stands.
 */
export async function deliverCommitted(deps: OutboxDeps, queued: QueuedCommand[]): Promise<void> {
  for (const { id, command } of queued) {
    try {
      await send(deps, command);
      await completeCommand(deps.db, id);
    } catch (error) {
      deps.logger.warn(
        { err: errorSummary(error), outboxId: id, kind: command.kind },
        'Temporal command not delivered yet; the drainer will retry',
      );
      await retryCommandLater(deps.db, id, BASE_BACKOFF_MS, errorSummary(error)).catch(() => undefined);
    }
  }
}

async function send(deps: OutboxDeps, command: TemporalCommand): Promise<void> {
  switch (command.kind) {
    case 'start_code_flow':
      return startCodeFlow(deps, command.accountId, command.purpose);
    case 'password_changed':
      return notifyPasswordRotation(deps, { id: command.accountId, password_changed_at: new Date(command.changedAt) });
    case 'start_closure':
      return startClosureFlow(deps, command);
  }
}

/**
 * Delivers now, within the call deadline, the command still waiting in the outbox for this
 * workflow, if any: for a caller that needs the workflow running before it can go on (a login
 * reactivating an account whose closure flow has not started yet). Throws when Temporal is out
 * of reach; the command then stays for the drainer. False when nothing was waiting.
 */
export async function deliverPendingNow(deps: OutboxDeps, workflowId: string): Promise<boolean> {
  const pending = await findPendingCommand(deps.db, workflowId);
  if (!pending) return false;
  await send(deps, pending.command);
  await completeCommand(deps.db, pending.id);
  return true;
}

/**
 * True when a run of the command's workflow started after the command was written: an earlier
 * delivery whose answer was lost, or a newer request, already did what it asks. Starting again
 * would replace that flow (and mail a second code), or, for a closure the merchant has already
 * undone by a login, start a new closure flow. Signals need no such check: the rotation flow
 * ignores a change it already knows.
 */
async function supersededByRun(deps: OutboxDeps, pending: PendingCommand): Promise<boolean> {
  if (pending.command.kind === 'password_changed') return false;
  try {
    const run = await deps.temporal.workflow.getHandle(workflowIdOf(pending.command)).describe();
    return run.startTime.getTime() >= pending.created_at.getTime();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

// Retries back off from a second to half a minute: soon enough after an outage ends, gentle
// enough on a Temporal that is struggling to come back.
const BASE_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const BATCH_SIZE = 20;
const POLL_INTERVAL_MS = 1_000;

/** One round of the drainer: delivers the due commands side by side, each bounded by the call deadline. */
export async function drainTemporalOutbox(deps: OutboxDeps): Promise<number> {
  const due = await leaseDueCommands(deps.db, BATCH_SIZE, 3 * deps.config.temporal.callTimeoutMs);
  await Promise.all(
    due.map(async (pending) => {
      try {
        if (!(await supersededByRun(deps, pending))) await send(deps, pending.command);
        await completeCommand(deps.db, pending.id);
      } catch (error) {
        const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (pending.attempts + 1));
        await retryCommandLater(deps.db, pending.id, backoff, errorSummary(error));
      }
    }),
  );
  return due.length;
}

export interface OutboxDrainer {
  stop(): Promise<void>;
}

/** Runs in every worker process: any number of drainers share the table (leases, SKIP LOCKED). */
export function startTemporalOutboxDrainer(deps: OutboxDeps): Poller {
  return startPoller({
    handleBatch: () => drainTemporalOutbox(deps),
    batchSize: BATCH_SIZE,
    intervalMs: POLL_INTERVAL_MS,
    onError: (error) => deps.logger.error({ err: errorSummary(error) }, 'Temporal outbox round failed'),
  });
}

/** The error's kind and message, for the log and the row; commands hold no secrets, errors neither. */
function errorSummary(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return 'unknown error';
}
