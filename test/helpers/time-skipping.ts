import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
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
