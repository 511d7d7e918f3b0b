import {
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { MAX_CODE_ATTEMPTS } from '../shared/code-flow';
import { hexDigestsEqual } from '../shared/digest';
import {
  type LoginChallengeInput,
  type LoginChallengeState,
  loginChallengeStatusQuery,
  type LoginFactorResult,
  submitLoginFactorUpdate,
} from '../shared/login-challenge';
import { LOGIN_CHALLENGE_STATE } from '../shared/temporal';

const { issueVerificationCode } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '10s' },
});

/**
 * The second step of a login: lives LOGIN_CHALLENGE_TTL, allows MAX_CODE_ATTEMPTS wrong codes,
 * and passes once (a challenge is single-use). For mail authentication it mails the code first.
 */
export async function loginChallengeWorkflow(input: LoginChallengeInput): Promise<LoginChallengeState> {
  const expiresAt = Date.now() + input.ttlMs;
  let state: LoginChallengeState = 'pending';
  let attempts = 0;
  let codeHash: string | undefined;

  const setState = (next: LoginChallengeState) => {
    state = next;
    upsertSearchAttributes([{ key: LOGIN_CHALLENGE_STATE, value: next }]);
  };

  setHandler(loginChallengeStatusQuery, () => ({
    accountId: input.accountId,
    method: input.method,
    state,
    expiresAt,
    issuedAt: input.issuedAt,
    passwordChangedAt: input.passwordChangedAt,
  }));
  setHandler(
    submitLoginFactorUpdate,
    async (factor): Promise<LoginFactorResult> => {
      if (state !== 'pending' || Date.now() >= expiresAt) return { result: 'expired' };
      // A mailed code can arrive before its mail was issued only by guessing: wait for the hash.
      if (factor.kind === 'mailed_code') await condition(() => codeHash !== undefined);
      const valid = factor.kind === 'checked' ? factor.valid : hexDigestsEqual(factor.codeHash, codeHash ?? '');
      if (state !== 'pending') return { result: 'expired' };
      if (!valid) {
        attempts += 1;
        if (attempts >= MAX_CODE_ATTEMPTS) setState('locked');
        return { result: 'invalid', triesLeft: MAX_CODE_ATTEMPTS - attempts };
      }
      setState('passed');
      return { result: 'passed' };
    },
    {
      validator: (factor) => {
        if (factor.kind === 'mailed_code' && input.method !== 'email')
          throw new Error('this challenge takes no mailed code');
        if (factor.kind === 'mailed_code' && !/^[0-9a-f]{64}$/.test(factor.codeHash))
          throw new Error('codeHash must be a hex HMAC-SHA256');
      },
    },
  );

  if (input.method === 'email') {
    codeHash = (await issueVerificationCode({ accountId: input.accountId, purpose: 'login', ttlMs: input.ttlMs }))
      .codeHash;
  }
  if (!(await condition(() => state !== 'pending', Math.max(0, expiresAt - Date.now())))) setState('expired');
  await condition(allHandlersFinished);
  return state;
}
