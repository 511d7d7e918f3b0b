import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { type StackOptions, startStack, type TestStack } from './stack';
import { dataConverterFor } from '../../src/temporal/codec';
import { registerSearchAttributes } from '../../src/temporal/search-attributes';
import { testConfig } from './config';

/**
 * Temporal's time-skipping test server, one per test file (time is global to the server).
 * Timers of days pass in milliseconds while the workflow code runs for real.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
    // The service's own payload encryption, as its workers use it.
    client: { dataConverter: dataConverterFor(testConfig()) },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** The whole service (see startStack) with its worker and client on a time-skipping server of its own. */
export async function startTimeSkippingStack(options: Omit<StackOptions, 'temporal'> = {}): Promise<{ env: TestWorkflowEnvironment; stack: TestStack }> {
  const env = await createTimeSkippingEnv();
  const stack = await startStack({ ...options, temporal: { client: env.client, nativeConnection: env.nativeConnection, namespace: 'default' } });
  return { env, stack };
}

export async function stopTimeSkippingStack(running: { env?: TestWorkflowEnvironment; stack?: TestStack }): Promise<void> {
  await running.stack?.stop();
  await running.env?.teardown();
}
