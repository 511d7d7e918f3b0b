import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  accountClosureWorkflowId,
  emailVerificationWorkflowId,
  loginChallengeWorkflowId,
  mailAuthenticationWorkflowId,
  parseWorkflowId,
  passwordResetWorkflowId,
  passwordRotationWorkflowId,
} from '../../src/shared/workflow-ids';

describe('workflow IDs', () => {
  const id = randomUUID();

  it.each([
    [emailVerificationWorkflowId, 'email-verification'],
    [mailAuthenticationWorkflowId, 'mail-authentication'],
    [passwordResetWorkflowId, 'password-reset'],
    [loginChallengeWorkflowId, 'login-challenge'],
    [passwordRotationWorkflowId, 'password-rotation'],
    [accountClosureWorkflowId, 'account-closure'],
  ] as const)('when %o builds an ID, then it reads as %s-<id> and parses back', (build, kind) => {
    const workflowId = build(id);
    expect(workflowId).toBe(`${kind}-${id}`);
    expect(parseWorkflowId(workflowId)).toEqual({ kind, id });
  });

  it('when an ID is not one of ours, then parsing gives undefined', () => {
    expect(parseWorkflowId('account-closure-not-a-uuid')).toBeUndefined();
    expect(parseWorkflowId(`something-else-${id}`)).toBeUndefined();
  });
});
