import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { type StackOptions, startStack, type TestStack } from './stack';
import { dataConverterFor } from '../../src/temporal/codec';
import { registerSearchAttributes } from '../../src/temporal/search-attributes';
import { testConfig } from './config';
import type { Env } from '../../src/config';

/**
 * Temporal's time-skipping test server, one per test file (time is global to the server).
 * Timers of days pass in milliseconds while the workflow code runs for real.
 */
export async function createTimeSkippingEnv(
  env: Partial<Record<keyof Env, string>> = {},
): Promise<TestWorkflowEnvironment> {
  const server = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
    // The service's own payload encryption, as its workers use it (with the stack's keys).
    client: { dataConverter: dataConverterFor(testConfig(env)) },
  });
  await registerSearchAttributes(server.connection, server.namespace ?? 'default');
  return server;
}

/** The whole service (see startStack) with its worker and client on a time-skipping server of its own. */
export async function startTimeSkippingStack(
  options: Omit<StackOptions, 'temporal'> = {},
): Promise<{ env: TestWorkflowEnvironment; stack: TestStack }> {
  const env = await createTimeSkippingEnv(options.env);
  const stack = await startStack({
    ...options,
    temporal: { client: env.client, nativeConnection: env.nativeConnection, namespace: 'default' },
  });
  return { env, stack };
}

export async function stopTimeSkippingStack(running: {
  env?: TestWorkflowEnvironment;
  stack?: TestStack;
}): Promise<void> {
  await running.stack?.stop();
  await running.env?.teardown();
}
