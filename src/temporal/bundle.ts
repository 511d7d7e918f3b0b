import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

/**
 * The workflows entry point, without extension: the bundler (webpack) resolves it to the
 * TypeScript source under tsx and Vitest, and to the built JS under dist/.
 */
export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows');

/** Bundles the workflow code once; workers share the result instead of bundling per start. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  // webpack's statistics are noise at start-up; warnings and errors still show.
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
}
