// Names shared by workflows, activities, worker and API. Workflow code imports this file, so it
// must stay free of Node built-ins.

/** Custom search attributes, all Keyword; operators filter on them in the Temporal Web UI. */
export const SEARCH_ATTRIBUTES = {
  accountId: 'AccountId',
  emailVerificationState: 'EmailVerificationState',
  loginChallengeState: 'LoginChallengeState',
  passwordRotationState: 'PasswordRotationState',
  accountClosureState: 'AccountClosureState',
} as const;

export const SEARCH_ATTRIBUTE_NAMES = Object.values(SEARCH_ATTRIBUTES);
