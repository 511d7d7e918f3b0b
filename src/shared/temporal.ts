import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Names shared by workflows, activities, worker and API. Workflow code imports this file, so it
// must stay free of Node built-ins.

/** Custom search attributes, all Keyword; operators filter on them in the Temporal Web UI. */
export const ACCOUNT_ID = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const EMAIL_VERIFICATION_STATE = defineSearchAttributeKey('EmailVerificationState', SearchAttributeType.KEYWORD);
export const LOGIN_CHALLENGE_STATE = defineSearchAttributeKey('LoginChallengeState', SearchAttributeType.KEYWORD);
export const PASSWORD_ROTATION_STATE = defineSearchAttributeKey('PasswordRotationState', SearchAttributeType.KEYWORD);
export const ACCOUNT_CLOSURE_STATE = defineSearchAttributeKey('AccountClosureState', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_NAMES = [
  ACCOUNT_ID,
  EMAIL_VERIFICATION_STATE,
  LOGIN_CHALLENGE_STATE,
  PASSWORD_ROTATION_STATE,
  ACCOUNT_CLOSURE_STATE,
].map((key) => key.name);
