import { Context } from '@temporalio/activity';

/**
 * The workflow an activity runs for, and a key naming this activity's own execution: the same
 * across retries, different for each time the workflow schedules it. Writers use it as an
 * idempotency key.
 */
export function currentExecution(): { workflowId: string; idempotencyKey: string } {
  const { workflowExecution, activityId } = Context.current().info;
  if (workflowExecution === undefined) throw new Error('This activity runs only inside a workflow');
  return {
    workflowId: workflowExecution.workflowId,
    idempotencyKey: `${workflowExecution.workflowId}/${workflowExecution.runId}/${activityId}`,
  };
}
