import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  passwordChangedSignal,
  type PasswordRotationInput,
  type PasswordRotationState,
  passwordRotationStatusQuery,
} from '../shared/password-rotation';
import { PASSWORD_ROTATION_STATE } from '../shared/temporal';

const { sendPasswordReminder, markPasswordExpired } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  // Retried until the database answers; each activity writes its mail under one key, so a
  // retry or a worker restart never mails a reminder twice.
  retry: { initialInterval: '1s', maximumInterval: '5m' },
});

/**
 * One per account, for the account's lifetime: reminds the merchant before the password expires
 * (PASSWORD_REMINDERS before PASSWORD_MAX_AGE), marks it expired at the end, and starts over from
 * each password change. Each cycle is a new run (continue-as-new), so history stays small.
 * The database stays the judge at login; this flow only tells the merchant in time.
 */
export async function passwordRotationWorkflow(input: PasswordRotationInput): Promise<void> {
  const expiresAt = input.changedAt + input.maxAgeMs;
  // Latest first is the order they fall due: 14 days before, then 7, then 1.
  const reminders = [...new Set(input.remindersMs)]
    .filter((before) => before > 0 && before < input.maxAgeMs)
    .sort((a, b) => b - a)
    .map((before) => ({ before, at: expiresAt - before }));

  let state: PasswordRotationState = 'current';
  let nextReminderAt: number | null = null;
  let newChangedAt: number | undefined;

  setHandler(passwordChangedSignal, ({ changedAt }) => {
    // An older change (a late or repeated signal) never rewinds the cycle.
    if (changedAt > input.changedAt && (newChangedAt === undefined || changedAt > newChangedAt))
      newChangedAt = changedAt;
  });
  setHandler(passwordRotationStatusQuery, () => ({ state, changedAt: input.changedAt, expiresAt, nextReminderAt }));

  const publish = () => {
    upsertSearchAttributes([{ key: PASSWORD_ROTATION_STATE, value: state }]);
    const next = nextReminderAt === null ? 'none' : new Date(nextReminderAt).toISOString();
    setCurrentDetails(`Password expires ${new Date(expiresAt).toISOString()}; next reminder: ${next}`);
  };
  /** Sleeps until `at`, waking early on a password change. True when a change ended the cycle. */
  const changedBefore = (at: number) => condition(() => newChangedAt !== undefined, Math.max(0, at - Date.now()));

  // Points already behind us (a cycle picked up late) are skipped, not sent in a burst.
  for (const reminder of reminders.filter((point) => point.at > Date.now())) {
    nextReminderAt = reminder.at;
    publish();
    if (await changedBefore(reminder.at)) break;
    await sendPasswordReminder({
      accountId: input.accountId,
      changedAt: input.changedAt,
      beforeMs: reminder.before,
      expiresAt,
    });
    state = 'reminded';
  }
  nextReminderAt = null;
  publish();

  if (newChangedAt === undefined && !(await changedBefore(expiresAt))) {
    await markPasswordExpired({ accountId: input.accountId, changedAt: input.changedAt });
    state = 'expired';
    publish();
    await condition(() => newChangedAt !== undefined);
  }

  await condition(allHandlersFinished);
  await continueAsNew<typeof passwordRotationWorkflow>({ ...input, changedAt: newChangedAt! });
}
