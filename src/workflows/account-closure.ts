import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  type AccountClosureInput,
  type AccountClosureState,
  accountClosureStatusQuery,
  CLOSURE_NOT_IN_GRACE,
  CLOSURE_NOT_IN_GRACE_TYPE,
  PURGED_TABLES,
  placeHoldUpdate,
  reactivateUpdate,
  releaseHoldsUpdate,
} from '../shared/account-closure';
import { ACCOUNT_CLOSURE_STATE } from '../shared/temporal';
import { passwordRotationWorkflowId } from '../shared/workflow-ids';

const { deactivateIntegrations, closeAccount, reactivateAccount, deleteAccount } = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  // Retried until PostgreSQL answers: every step is idempotent.
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

const { purgeAccountRows } = proxyActivities<Activities>({
  // A purge of millions of rows takes minutes; the heartbeat, not this bound, notices a dead worker.
  startToCloseTimeout: '6h',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/**
 * Closing an account, as the help article promises: integrations off first, then the account
 * closed, sessions revoked and a confirmation mailed. Then CLOSURE_GRACE_PERIOD to change one's
 * mind: a login reactivates (integrations stay off), a support hold postpones the purge for as
 * long as it stands. At the end, products, orders and integrations are deleted for good, then
 * the account.
 */
export async function accountClosureWorkflow(input: AccountClosureInput): Promise<AccountClosureState> {
  // Flows started through the outbox carry the dates the database holds, and keep them however
  // late they start. Older runs computed them here, provisional until closeAccount answered.
  const closedAt = input.closedAt ?? Date.now();
  let purgeAt = input.purgeAt ?? closedAt + input.gracePeriodMs;
  let state: AccountClosureState = 'closing';
  const holds = new Set<string>();
  let reactivationRequested = false;
  const purged = { products: 0, orders: 0, integrations: 0 };

  const setState = (next: AccountClosureState) => {
    state = next;
    upsertSearchAttributes([{ key: ACCOUNT_CLOSURE_STATE, value: next }]);
    setCurrentDetails(
      `${next}; purge ${state === 'purged' ? 'done' : `at ${new Date(purgeAt).toISOString()}`}; holds: ${holds.size}`,
    );
  };
  const inGracePeriod = () => state === 'closing' || state === 'grace' || state === 'held';
  // Holds are for a closure going ahead; once a login has claimed the reactivation, it is not.
  const inGrace = () => inGracePeriod() && !reactivationRequested;
  const refuseUnless =
    (allowed: () => boolean) =>
    (..._args: unknown[]) => {
      if (!allowed())
        throw ApplicationFailure.create({
          type: CLOSURE_NOT_IN_GRACE_TYPE,
          message: CLOSURE_NOT_IN_GRACE,
          nonRetryable: true,
        });
    };

  setHandler(accountClosureStatusQuery, () => ({
    accountId: input.accountId,
    state,
    closedAt,
    purgeAt,
    holds: [...holds],
    purged,
  }));

  // Logins may race one another in the grace period: the first one claims the reactivation and
  // runs it; the others wait for it and answer the same, rather than be refused while the account
  // is still closed and then tell the owner their right password was wrong. Old histories replay
  // unchanged: a joining update schedules nothing, and a refused one was never recorded.
  let reactivated = false;
  setHandler(
    reactivateUpdate,
    async () => {
      if (reactivationRequested) {
        await condition(() => reactivated);
        return { reactivated: true } as const;
      }
      // Claimed before the await: from here the purge can no longer start.
      reactivationRequested = true;
      await condition(() => state !== 'closing'); // the closing steps finish first, in order
      await reactivateAccount({ accountId: input.accountId });
      reactivated = true;
      return { reactivated: true } as const;
    },
    // Until the flow ends as reactivated, a second login joins the first one's reactivation.
    { validator: refuseUnless(inGracePeriod) },
  );
  setHandler(
    placeHoldUpdate,
    ({ holdId }) => {
      holds.add(holdId);
      if (state === 'grace') setState('held');
      return { holds: holds.size };
    },
    { validator: refuseUnless(inGrace) },
  );
  setHandler(
    releaseHoldsUpdate,
    () => {
      const released = holds.size;
      holds.clear();
      return { released };
    },
    { validator: refuseUnless(inGrace) },
  );

  setState('closing');
  if (input.purgeAt !== undefined) {
    // Started through the outbox: the API's transaction has already turned the integrations off,
    // revoked the sessions, closed the account and queued the mail. This only reads the closure
    // back; it never closes an account. Should the account no longer be closed (the delivery of
    // an earlier start was retried after a login undid that closure), there is nothing to purge.
    // Old histories lack input.purgeAt and take the other branch, command for command.
    const held = await closeAccount({ accountId: input.accountId, purgeAt, alreadyClosed: true });
    if (held === undefined) {
      setState('reactivated');
      await condition(allHandlersFinished);
      return state;
    }
    purgeAt = held;
  } else {
    // Integrations go off first, before anything else, as the seed article promises.
    await deactivateIntegrations({ accountId: input.accountId });
    // Runs started before the API closed the account first: this closes it unless the API's
    // transaction did, and answers the purge date the database holds (runs recorded before it
    // answered anything keep the date computed here).
    purgeAt = (await closeAccount({ accountId: input.accountId, purgeAt })) ?? purgeAt;
  }
  setState(holds.size > 0 ? 'held' : 'grace');

  // Wait out the grace period; a hold keeps the purge waiting past it, for as long as it stands.
  while (!reactivationRequested) {
    if (holds.size > 0) {
      setState('held');
      await condition(() => holds.size === 0 || reactivationRequested);
      continue;
    }
    setState('grace');
    const remaining = purgeAt - Date.now();
    if (remaining <= 0) break;
    await condition(() => holds.size > 0 || reactivationRequested, remaining);
  }

  if (reactivationRequested) {
    await condition(allHandlersFinished);
    // reactivateAccount released the holds in the database; the flow's state says the same.
    holds.clear();
    setState('reactivated');
    return state;
  }

  setState('purging');
  for (const table of PURGED_TABLES) {
    purged[table] = await purgeAccountRows({ accountId: input.accountId, table, batchSize: input.purgeBatchSize });
  }
  await deleteAccount({ accountId: input.accountId });
  // The rotation flow has nothing left to remind; ending it keeps no timer for a deleted account.
  await getExternalWorkflowHandle(passwordRotationWorkflowId(input.accountId))
    .cancel()
    .catch(() => undefined);
  setState('purged');
  await condition(allHandlersFinished);
  return state;
}
