import { inject } from 'vitest';
import { type StackOptions, startServiceStack, type TestStack } from './service-stack';

export type { StackOptions, TestStack } from './service-stack';

/** The whole service for one test file, on the services the run shares (see startServiceStack). */
export function startStack(options: StackOptions = {}): Promise<TestStack> {
  return startServiceStack(
    {
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      templateDatabase: inject('templateDatabase'),
      temporalAddress: inject('temporalAddress'),
      workflowBundlePath: inject('workflowBundlePath'),
    },
    options,
  );
}
