import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/stack';

// The panel states the renewal period and the grace period from here, so a changed
// configuration changes the page's words as it changes the mails'.
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { PASSWORD_MAX_AGE: '60d', CLOSURE_GRACE_PERIOD: '14d', EMAIL_CODE_TTL: '15m' } });
});
afterAll(() => stack?.stop());

describe('GET /v1/policies', () => {
  it('when the periods are configured, then anyone (no session) reads them as configured, in milliseconds', async () => {
    const answer = await stack.http.get('/v1/policies');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      passwordMaxAgeMs: 60 * 86_400_000,
      closureGracePeriodMs: 14 * 86_400_000,
      lockLinkValidMs: 7 * 86_400_000,
      emailCodeValidMs: 15 * 60_000,
    });
  });
});
