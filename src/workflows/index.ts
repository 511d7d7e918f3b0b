// Every workflow the worker runs. Workflow files import only @temporalio/workflow, `import type`
// of activities, and src/shared (a lint rule enforces it).
export { codeVerificationWorkflow } from './code-verification';
export { passwordRotationWorkflow } from './password-rotation';
export { loginChallengeWorkflow } from './login-challenge';
export { accountClosureWorkflow } from './account-closure';
