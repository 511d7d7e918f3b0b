import type { RetryPolicy } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  type CodeFlowInput,
  type CodeFlowState,
  codeFlowStatusQuery,
  MAX_CODE_ATTEMPTS,
  resendCodeUpdate,
  type ResendResult,
  submitCodeUpdate,
  type SubmitCodeResult,
} from '../shared/code-flow';
import { hexDigestsEqual } from '../shared/digest';
import { EMAIL_VERIFICATION_STATE } from '../shared/temporal';

// Database hiccups are retried; the activities are idempotent, so a retry never mails twice.
const retry: RetryPolicy = { initialInterval: '1s', maximumInterval: '30s' };

const { issueVerificationCode } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry });

// The caller waits on this one (the Update answers with its outcome): a local activity runs in
// the workflow task that took the Update, with no activity task to schedule, poll and report
// through the server. It is one short transaction, and idempotent should the task run again.
const { completeVerification } = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry });

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * One code, mailed to an address, proving the merchant reads it: used at sign-up, for an email
 * change and to turn on mail authentication. The code expires after `ttlMs`, allows
 * MAX_CODE_ATTEMPTS wrong tries, and can be re-sent after `resendCooldownMs` (a re-send replaces
 * the code and restarts its expiry). The API submits an HMAC of the code through an Update and
 * answers from its result.
 */
export async function codeVerificationWorkflow(input: CodeFlowInput): Promise<CodeFlowState> {
  let state: CodeFlowState = 'awaiting_code';
  let codeHash = '';
  let codeId = '';
  let attempts = 0;
  let issuedAt = 0;
  let expiresAt = 0;
  // True while a right code is being applied: a second submission meanwhile finds the code used.
  let completing = false;
  // True while a code is being issued. Its mail is queued in the activity's transaction and can
  // reach the merchant before the workflow learns the activity's result (the code's hash and
  // expiry): a submission or re-send meanwhile waits for it rather than finding no code (or the
  // previous one) and answering "expired" or "invalid".
  let issuing = true;

  const setState = (next: CodeFlowState) => {
    state = next;
    upsertSearchAttributes([{ key: EMAIL_VERIFICATION_STATE, value: next }]);
  };
  const issueCode = async () => {
    // Claim the cooldown before awaiting, so a concurrent re-send sees it.
    issuedAt = Date.now();
    issuing = true;
    try {
      const issued = await issueVerificationCode({
        accountId: input.accountId,
        purpose: input.purpose,
        ttlMs: input.ttlMs,
      });
      codeHash = issued.codeHash;
      codeId = issued.codeId;
      attempts = 0;
      expiresAt = Date.now() + input.ttlMs;
    } finally {
      issuing = false;
    }
  };
  // Flows that took a submission during an issue before this change answered it at once; their
  // histories replay that way (README "Changing a workflow").
  const codeIssued = async () => {
    if (issuing && patched('submit-waits-for-issued-code')) await condition(() => !issuing);
  };
  const isOpen = () => state === 'awaiting_code' && !completing && Date.now() < expiresAt;

  setHandler(codeFlowStatusQuery, () => ({ state, purpose: input.purpose, expiresAt, attempts }));

  setHandler(
    submitCodeUpdate,
    async ({ codeHash: submitted, changeId, refusal }): Promise<SubmitCodeResult> => {
      await codeIssued();
      if (!isOpen()) return { result: 'expired' };
      if (!hexDigestsEqual(submitted, codeHash)) {
        attempts += 1;
        if (attempts >= MAX_CODE_ATTEMPTS) setState('locked');
        return { result: 'invalid', triesLeft: MAX_CODE_ATTEMPTS - attempts };
      }
      // The right code with a change the API refuses: the code stays open for a better one.
      if (refusal !== undefined) return { result: refusal };
      // A valid code is single-use: from here on, every other submission finds it used.
      completing = true;
      try {
        // changeId only when given: histories recorded before it existed replay unchanged.
        const outcome = await completeVerification({
          accountId: input.accountId,
          purpose: input.purpose,
          codeId,
          ...(changeId !== undefined && { changeId }),
        });
        if (outcome === 'verified') {
          setState('verified');
          return { result: 'verified' };
        }
        setState('rejected');
        return outcome === 'superseded' ? { result: 'expired' } : { result: outcome };
      } catch (error) {
        // The account is gone (or the step failed for good): nothing is left to verify.
        setState('rejected');
        throw error;
      } finally {
        completing = false;
      }
    },
    {
      validator: ({ codeHash: submitted, changeId, refusal }) => {
        if (!HEX_SHA256.test(submitted)) throw new Error('codeHash must be a hex HMAC-SHA256');
        if (changeId !== undefined && !UUID.test(changeId)) throw new Error('changeId must be a UUID');
        if (refusal !== undefined && refusal !== 'password_reused') throw new Error('unknown refusal');
      },
    },
  );

  setHandler(resendCodeUpdate, async (): Promise<ResendResult> => {
    await codeIssued();
    if (!isOpen()) return { result: 'expired' };
    const wait = issuedAt + input.resendCooldownMs - Date.now();
    if (wait > 0) return { result: 'cooldown', retryAfterMs: wait };
    await issueCode();
    return { result: 'sent', expiresAt };
  });

  await issueCode();
  setState('awaiting_code');
  for (;;) {
    const deadline = expiresAt;
    // Wakes on a verdict, on a re-send (which moves the deadline), or when the code expires.
    const woke = await condition(
      () => state !== 'awaiting_code' || expiresAt !== deadline || completing,
      deadline - Date.now(),
    );
    if (completing) await condition(() => !completing);
    if (state !== 'awaiting_code') break;
    if (!woke && expiresAt === deadline) {
      setState('expired');
      break;
    }
  }
  await condition(allHandlersFinished);
  return state;
}
