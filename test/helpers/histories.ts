import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { Env } from '../../src/config';
import { dataConverterFor } from '../../src/temporal/codec';
import { testConfig } from './config';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');

/**
 * Recorded histories hold encrypted payloads, as production ones do, so replay goes through the
 * service's own codec. They are recorded with this fixed key, which protects nothing: it is
 * public, used only for fixtures, and lets a replay decrypt them on any machine.
 */
export const HISTORY_CODEC_ENV: Partial<Record<keyof Env, string>> = {
  CODEC_KEYS: `replay-fixtures:${'5eed'.repeat(16)}`,
  CODEC_KEY_ID: 'replay-fixtures',
};

export const historyDataConverter = () => dataConverterFor(testConfig(HISTORY_CODEC_ENV));

export interface RecordedHistory {
  /** The file's name without `.json`, e.g. `account-closure--held`; replay uses it as the workflow ID. */
  workflowId: string;
  history: History;
  workflowType: string;
}

/**
 * Every file in test/fixtures/histories: the JSON that `temporal workflow show --output json`
 * prints, so a history downloaded from a real cluster can be dropped in as it is.
 */
export function loadRecordedHistories(dir = HISTORIES_DIR): RecordedHistory[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '';
      return { workflowId: file.replace(/\.json$/, ''), history, workflowType };
    });
}

/** Writes a workflow's history, as it stands now, under `name`. */
export async function saveHistory(handle: WorkflowHandle, name: string, dir = HISTORIES_DIR): Promise<void> {
  const history = await handle.fetchHistory();
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
}
