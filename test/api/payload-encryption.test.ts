import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountClosureWorkflowId,
  emailVerificationWorkflowId,
  passwordRotationWorkflowId,
} from '../../src/shared/workflow-ids';
import { TEST_CODEC_TOKEN } from '../helpers/config';
import { codeIn, nextCodeMail, signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

type Json = Record<string, unknown>;

/**
 * Every payload object anywhere in a history (inputs, results, signals, updates…), except search
 * attributes: the server must index those, so they are never encoded (ours hold only the
 * account id and a state name). A local activity's marker also carries the SDK's own record of
 * the call (sequence number, activity type, times) under `details.data`, which the SDK writes
 * in clear: those go to `sdkRecords`, to be checked for secrets, not for encryption.
 */
function payloadsIn(node: unknown, found: Json[] = [], sdkRecords: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const item of node) payloadsIn(item, found, sdkRecords);
  else if (node && typeof node === 'object') {
    const record = node as Json;
    if ('metadata' in record && 'data' in record) found.push(record);
    else {
      for (const [key, value] of Object.entries(record)) {
        if (key === 'searchAttributes') continue;
        if (key === 'details' && record.markerName === 'core_local_activity') {
          const { data, ...rest } = value as Json;
          payloadsIn(data, sdkRecords, sdkRecords);
          payloadsIn(rest, found, sdkRecords);
        } else payloadsIn(value, found, sdkRecords);
      }
    }
  }
  return found;
}

/** The SDK's clear-text records of local activity calls in a history. */
function sdkRecordsIn(node: unknown): Json[] {
  const sdkRecords: Json[] = [];
  payloadsIn(node, [], sdkRecords);
  return sdkRecords;
}

const text = (bytes: unknown) => Buffer.from(bytes as Uint8Array).toString('latin1');

describe('workflow payloads are encrypted', () => {
  it('when flows have run, then their raw history holds only ciphertext: no email, code or account id in clear', async () => {
    const merchant = await signUp(stack);
    const code = codeIn(await nextCodeMail(stack, merchant.email));
    await stack.http.post('/v1/account/email/verify', { code }, merchant.token);
    await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );

    // A client without the codec sees what the server stores.
    const raw = new Client({ connection: stack.temporal.connection, namespace: stack.config.temporal.namespace });
    for (const workflowId of [emailVerificationWorkflowId, passwordRotationWorkflowId, accountClosureWorkflowId].map(
      (build) => build(merchant.accountId),
    )) {
      const history = await raw.workflow.getHandle(workflowId).fetchHistory();
      const payloads = payloadsIn(history.events);
      expect(payloads.length, workflowId).toBeGreaterThan(0);
      for (const payload of payloads) {
        const encoding = Buffer.from((payload.metadata as Record<string, Uint8Array>).encoding ?? []).toString();
        expect(encoding, workflowId).toBe('binary/encrypted');
        for (const secret of [merchant.email, code, merchant.accountId])
          expect(text(payload.data)).not.toContain(secret);
      }
      const records = sdkRecordsIn(history.events);
      // The verified code ran the email flow's one local activity.
      if (workflowId === emailVerificationWorkflowId(merchant.accountId)) expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        expect(JSON.parse(text(record.data))).toHaveProperty('activity_type');
        for (const secret of [merchant.email, code, merchant.accountId])
          expect(text(record.data)).not.toContain(secret);
      }
    }
    // The service's own client reads the same history in clear.
    const decoded = await stack.temporal.workflow.getHandle(accountClosureWorkflowId(merchant.accountId)).describe();
    expect(decoded.status.name).toBe('RUNNING');
  });

  it('when the operator token is given, then the codec endpoint decrypts for the Temporal UI; without it, 401', async () => {
    const merchant = await signUp(stack);
    const raw = new Client({ connection: stack.temporal.connection, namespace: stack.config.temporal.namespace });
    // Sign-up starts the flows just after answering: wait for the rotation flow's first event.
    let history = await raw.workflow
      .getHandle(passwordRotationWorkflowId(merchant.accountId))
      .fetchHistory()
      .catch(() => undefined);
    for (let tries = 0; !history && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      history = await raw.workflow
        .getHandle(passwordRotationWorkflowId(merchant.accountId))
        .fetchHistory()
        .catch(() => undefined);
    }
    const input = payloadsIn(history!.events![0])[0]!;
    const asJson = {
      metadata: Object.fromEntries(
        Object.entries(input.metadata as Record<string, Uint8Array>).map(([key, value]) => [
          key,
          Buffer.from(value).toString('base64'),
        ]),
      ),
      data: Buffer.from(input.data as Uint8Array).toString('base64'),
    };
    const refused = await stack.http.request('POST', '/codec/decode', { body: { payloads: [asJson] } });
    expect(refused.status).toBe(401);
    const decoded = await stack.http.request('POST', '/codec/decode', {
      body: { payloads: [asJson] },
      token: TEST_CODEC_TOKEN,
    });
    expect(decoded.status).toBe(200);
    const json = JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString());
    expect(json).toMatchObject({ accountId: merchant.accountId });
  });
});
