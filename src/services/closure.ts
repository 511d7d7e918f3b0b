import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DomainError } from '../domain/errors';
import type { Auth } from './caller';
import { recordAudit, type RequestContext } from '../db/repositories/audit';
import { closeAccountNow } from '../db/repositories/closure';
import {
  type AccountClosureStatus,
  accountClosureStatusQuery,
  CLOSURE_NOT_IN_GRACE_TYPE,
  placeHoldUpdate,
  reactivateUpdate,
  releaseHoldsUpdate,
} from '../shared/account-closure';
import { accountClosureWorkflowId } from '../shared/workflow-ids';
import { loadAccount } from './account';
import type { ServiceDeps } from './deps';
import { verifyCurrentPassword } from './password';
import { assertSecondFactor } from './step-up';
import { isRejectedBy } from './temporal-errors';
import { deliverCommitted, deliverPendingNow, queueTemporalCommand } from './temporal-outbox';

export interface ClosureRequest {
  password: string;
  code?: string;
}

/**
 * Closes the account after checking the password and, when 2FA is on, a second factor, and
 * answers only once the closure has taken effect: from the 202 on, no session of the account
 * acts and none of its integrations is active.
 *
 * One transaction closes the account (closeAccountNow: integrations off, sessions revoked, purge
 * date fixed, confirmation mailed) and queues the start of its flow in the Temporal outbox; the
 * start is delivered right after the commit, or by the drainer once Temporal is back. So the
 * answer is 202 whatever Temporal does: a closure that was made is never answered 503. The flow
 * keeps the purge date fixed here, however late it starts.
 */
export async function requestClosure(
  deps: ServiceDeps,
  auth: Auth,
  request: ClosureRequest,
  context: RequestContext,
): Promise<{ purgeAt: string }> {
  const account = await loadAccount(deps, auth.accountId);
  await verifyCurrentPassword(deps, account, request.password, context, 'closure');
  await assertSecondFactor(deps, account, request.code, context, 'confirm_closure');

  const closedAt = Date.now();
  const { purgeAt, start } = await deps.db.transaction().execute(async (trx) => {
    const held = await closeAccountNow(trx, {
      accountId: account.id,
      purgeAt: new Date(closedAt + deps.config.durations.closureGracePeriodMs),
      context,
    });
    if (!held) throw new DomainError('not_found', 'The account does not exist');
    const queued = await queueTemporalCommand(trx, deps.config, {
      kind: 'start_closure',
      accountId: account.id,
      closedAt,
      purgeAt: held.getTime(),
    });
    return { purgeAt: held, start: queued };
  });
  await deliverCommitted(deps, [start]);
  return { purgeAt: purgeAt.toISOString() };
}

/**
 * A successful login of a closed account in its grace period reactivates it. False when the
 * closure is past its grace period (purging): the account is as good as gone.
 *
 * The flow may not have started yet (Temporal was out of reach when the account closed, and the
 * outbox has not delivered the start): the login then starts it first, with the closure's own
 * dates, and reactivates through it. Reactivation always goes through the flow, so a closure
 * flow never runs on after its account came back.
 */
export async function reactivateByLogin(deps: ServiceDeps, accountId: string): Promise<boolean> {
  try {
    await onClosureFlow(deps, accountId, (handle) => handle.executeUpdate(reactivateUpdate));
    return true;
  } catch (error) {
    if (isClosureOver(error)) return false;
    throw error;
  }
}

type ClosureHandle = ReturnType<ServiceDeps['temporal']['workflow']['getHandle']>;

/**
 * Sends a message to the account's closure flow. A flow whose start still waits in the outbox
 * (the account closed while Temporal was out of reach) is started first, with the closure's
 * dates, so a login or a support hold in that window finds the flow it expects.
 */
async function onClosureFlow<T>(
  deps: ServiceDeps,
  accountId: string,
  message: (handle: ClosureHandle) => Promise<T>,
): Promise<T> {
  const handle = deps.temporal.workflow.getHandle(accountClosureWorkflowId(accountId));
  try {
    return await message(handle);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError) || !(await deliverPendingNow(deps, handle.workflowId))) throw error;
  }
  return message(handle);
}

/**
 * The closure flow will not take the message: it has ended (or never ran), or its validator
 * says it is past its grace period. Told by the client's error classes and the failure's type;
 * an outage is neither, and stays an error (503).
 */
function isClosureOver(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError || isRejectedBy(error, CLOSURE_NOT_IN_GRACE_TYPE);
}

/** The closure flow's state, for support; 404 when the account never closed. */
export async function closureStatus(deps: ServiceDeps, accountId: string): Promise<AccountClosureStatus> {
  try {
    return await deps.temporal.workflow.getHandle(accountClosureWorkflowId(accountId)).query(accountClosureStatusQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new DomainError('not_found', 'This account has no closure');
    throw error;
  }
}

/** Support places a data-recovery hold: the purge waits until it is released. Only during the grace period. */
export async function placeRecoveryHold(
  deps: ServiceDeps,
  agent: Auth,
  accountId: string,
  reason: string,
  context: RequestContext,
): Promise<{ holdId: string }> {
  const holdId = randomUUID();
  // The row first, committed: the flow never holds for a hold the database does not know.
  try {
    await deps.db
      .insertInto('recovery_holds')
      .values({ id: holdId, account_id: accountId, placed_by: agent.accountId, reason })
      .execute();
  } catch (error) {
    // No such account (any more): nothing to hold.
    if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw notInGrace();
    throw error;
  }
  try {
    await updateClosure(deps, accountId, (handle) => handle.executeUpdate(placeHoldUpdate, { args: [{ holdId }] }));
  } catch (error) {
    // The flow refused (not in its grace period): the hold never took effect.
    await deps.db.deleteFrom('recovery_holds').where('id', '=', holdId).execute();
    throw error;
  }
  await recordAudit(deps.db, {
    accountId,
    actorId: agent.accountId,
    type: 'recovery_hold_placed',
    context,
    details: { holdId, reason },
  });
  return { holdId };
}

const FOREIGN_KEY_VIOLATION = '23503';

export async function releaseRecoveryHolds(
  deps: ServiceDeps,
  agent: Auth,
  accountId: string,
  reason: string,
  context: RequestContext,
): Promise<{ released: number }> {
  return deps.db.transaction().execute(async (trx) => {
    const released = await trx
      .updateTable('recovery_holds')
      .set({ released_at: new Date(), released_by: agent.accountId, release_reason: reason })
      .where('account_id', '=', accountId)
      .where('released_at', 'is', null)
      .executeTakeFirst();
    await recordAudit(trx, {
      accountId,
      actorId: agent.accountId,
      type: 'recovery_hold_released',
      context,
      details: { reason },
    });
    await updateClosure(deps, accountId, (handle) => handle.executeUpdate(releaseHoldsUpdate));
    return { released: Number(released.numUpdatedRows) };
  });
}

function notInGrace(): DomainError {
  return new DomainError('conflict', 'The account is not in its closure grace period');
}

async function updateClosure<T>(
  deps: ServiceDeps,
  accountId: string,
  update: (handle: ClosureHandle) => Promise<T>,
): Promise<T> {
  try {
    return await onClosureFlow(deps, accountId, update);
  } catch (error) {
    if (isClosureOver(error)) throw notInGrace();
    throw error;
  }
}

/**
 * A closed account's data for a support agent, as it stands: what the merchant asked support
 * for while the account waits for its purge (the merchant cannot sign in without undoing the
 * closure). An active account is refused: its merchant signs in and sees their own data, and
 * support has no reason to take it without them. Once the purge has begun the data is partial,
 * so that is refused too; 404 once the account is gone. Every export is recorded in the
 * merchant's audit trail (who, when, from where, how much), in the transaction that reads it.
 */
export async function exportAccountData(deps: ServiceDeps, agent: Auth, accountId: string, context: RequestContext) {
  return deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const account = await trx
        .selectFrom('accounts')
        .select(['id', 'status', 'closed_at', 'purge_at'])
        .where('id', '=', accountId)
        .executeTakeFirst();
      if (!account) throw new DomainError('not_found', 'The account does not exist (any more)');
      if (account.status !== 'closed')
        throw new DomainError(
          'conflict',
          'Only a closed account’s data can be exported by support; an active merchant exports their own',
        );
      const purging = await trx
        .selectFrom('purge_progress')
        .select('table_name')
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (purging) throw new DomainError('conflict', 'The purge has begun: the data is no longer whole');
      const [integrations, products, orders] = await Promise.all([
        trx.selectFrom('integrations').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute(),
        trx.selectFrom('products').selectAll().where('account_id', '=', accountId).orderBy('id').execute(),
        trx.selectFrom('orders').selectAll().where('account_id', '=', accountId).orderBy('id').execute(),
      ]);
      await recordAudit(trx, {
        accountId,
        actorId: agent.accountId,
        type: 'account_data_exported',
        context,
        details: { integrations: integrations.length, products: products.length, orders: orders.length },
      });
      return {
        account: {
          id: account.id,
          status: account.status,
          closedAt: account.closed_at?.toISOString() ?? null,
          purgeAt: account.purge_at?.toISOString() ?? null,
        },
        integrations: integrations.map(integrationView),
        products: products.map(catalogueView),
        orders: orders.map(catalogueView),
      };
    });
}

export function integrationView(row: {
  id: string;
  marketplace: string;
  name: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}) {
  return {
    id: row.id,
    marketplace: row.marketplace,
    name: row.name,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function catalogueView(row: {
  id: string;
  integration_id: string | null;
  reference: string;
  title: string;
  amount_cents: string;
  created_at: Date;
}) {
  return {
    id: row.id,
    integrationId: row.integration_id,
    reference: row.reference,
    title: row.title,
    amountCents: Number(row.amount_cents),
    createdAt: row.created_at.toISOString(),
  };
}

export async function accountDataCounts(deps: ServiceDeps, accountId: string) {
  const count = async (table: 'integrations' | 'products' | 'orders') =>
    Number(
      (
        await deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('account_id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const [integrations, products, orders] = await Promise.all([
    count('integrations'),
    count('products'),
    count('orders'),
  ]);
  return { integrations, products, orders };
}
