import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../src/activities';
import type { CodeFlowInput } from '../../src/shared/code-flow';
import { ACCOUNT_ID } from '../../src/shared/temporal';
import { codeVerificationWorkflow } from '../../src/workflows';
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

/** A worker of the suite's workflows on a task queue of its own, with `activities` as the edge. */
export async function fakeActivitiesWorker(
  env: TestWorkflowEnvironment,
  activities: Partial<Activities>,
): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = `tq-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities,
    dataConverter: dataConverterFor(testConfig()),
  });
  return { worker, taskQueue };
}

export type CodeFlowHandle = WorkflowHandle<typeof codeVerificationWorkflow>;

/**
 * Runs one code flow for a new account on a worker of its own, with `activities` as the edge
 * (what the flow hands them and when is what such tests are about), and `body` against it.
 */
export async function runCodeFlow(
  env: TestWorkflowEnvironment,
  activities: Partial<Activities>,
  flow: Omit<CodeFlowInput, 'accountId'> & { workflowId: (accountId: string) => string },
  body: (handle: CodeFlowHandle) => Promise<void>,
): Promise<void> {
  const { worker, taskQueue } = await fakeActivitiesWorker(env, activities);
  const accountId = randomUUID();
  const { workflowId, ...input } = flow;
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(codeVerificationWorkflow, {
      workflowId: workflowId(accountId),
      taskQueue,
      args: [{ accountId, ...input }],
      typedSearchAttributes: [{ key: ACCOUNT_ID, value: accountId }],
    });
    await body(handle);
  });
}
