import path from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { bundleWorkflowCode, type ReplayResult, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as workflows from '../../src/workflows';
import { historyDataConverter, loadRecordedHistories } from '../helpers/histories';

// Flows sleep for weeks while the code changes under them. Every history in
// test/fixtures/histories (recorded by `npm run record-histories`) must replay against the
// workflow code of this commit; a change that breaks one needs patched() or a new workflow type
// (README, "Changing a workflow").

const histories = loadRecordedHistories();

async function replay(workflowBundle: WorkflowBundleOption): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const options = { workflowBundle, dataConverter: historyDataConverter(), logger: new DefaultLogger('ERROR') };
  for await (const result of Worker.runReplayHistories(options, histories)) results.push(result);
  return results;
}

const failuresOf = (results: ReplayResult[]) =>
  results.filter((result) => result.error).map((result) => `${result.workflowId}: ${result.error?.message}`);

const changeBundle = async (file: string) => ({
  code: (
    await bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '..', 'fixtures', 'workflow-changes', file),
      logger: new DefaultLogger('WARN'),
    })
  ).code,
});

describe('replaying recorded histories', () => {
  it('when the recordings are listed, then every workflow type has at least one, and the points the flows are known for', () => {
    const recordedTypes = new Set(histories.map((history) => history.workflowType));
    expect([...recordedTypes].sort()).toEqual(Object.keys(workflows).sort());
    expect(histories.map((history) => history.workflowId)).toEqual(
      expect.arrayContaining([
        'account-closure--held',
        'account-closure--reactivated',
        'account-closure--purged',
        'account-closure--closed-first-purged',
        'account-closure--undone-before-start',
        'password-rotation--reminded',
        'password-rotation--continued-as-new',
        'email-verification--expired',
        'email-verification--locked',
        'login-challenge--passed',
      ]),
    );
  });

  it('when every recorded history is replayed against the current workflow code, then none is non-deterministic', async () => {
    const results = await replay({ codePath: inject('workflowBundlePath') });
    expect(results).toHaveLength(histories.length);
    expect(failuresOf(results)).toEqual([]);
  });

  describe('a change to running workflows (a new first step in every flow)', () => {
    let patched: WorkflowBundleOption;
    let unpatched: WorkflowBundleOption;
    beforeAll(async () => {
      patched = await changeBundle('patched.ts');
      unpatched = await changeBundle('unpatched.ts');
    });

    it('when the change is behind patched(), then every recorded history still replays', async () => {
      expect(failuresOf(await replay(patched))).toEqual([]);
    });

    it('when the same change is made without patched(), then replaying every recorded history fails on non-determinism', async () => {
      const results = await replay(unpatched);
      expect(results).toHaveLength(histories.length);
      for (const result of results) expect(result.error, result.workflowId).toBeInstanceOf(DeterminismViolationError);
    });
  });
});
