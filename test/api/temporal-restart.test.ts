import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server';
import { createLogger } from '../../src/logger';
import { accountClosureStatusQuery } from '../../src/shared/account-closure';
import { accountClosureWorkflowId } from '../../src/shared/workflow-ids';
import { dataConverterFor } from '../../src/temporal/codec';
import { testConfig } from '../helpers/config';
import { signUp } from '../helpers/merchant';
import { startStack, type TestStack } from '../helpers/stack';
import { freePort } from '../helpers/wait';

// A dev server of this file's own, persisted on disk, so it can be stopped and started again.
const dataDir = mkdtempSync(path.join(tmpdir(), 'temporal-restart-'));
let ports: { port: number; uiPort: number };
let devServer: TemporalDevServer;
let stack: TestStack;
let client: Client;
let nativeConnection: NativeConnection;

const startServer = () =>
  startTemporalDevServer({ dataDir, ...ports, namespace: 'default', logger: createLogger('silent') });

beforeAll(async () => {
  ports = { port: await freePort(), uiPort: await freePort() };
  devServer = await startServer();
  client = new Client({
    connection: await Connection.connect({ address: devServer.address }),
    dataConverter: dataConverterFor(testConfig()),
  });
  nativeConnection = await NativeConnection.connect({ address: devServer.address });
  stack = await startStack({
    temporal: { client, nativeConnection, namespace: 'default' },
    env: { CLOSURE_GRACE_PERIOD: '8s' },
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await nativeConnection?.close();
  await client?.connection.close();
  await devServer?.stop();
});

describe('Temporal restarts', () => {
  it('when the Temporal server restarts while a closure waits out its grace period, then the timer survives and the purge happens on time', async () => {
    const merchant = await signUp(stack);
    await seedDemoData(stack.database.db, merchant.accountId, { integrations: 1, products: 25, orders: 5 });
    const closure = await stack.http.post(
      '/v1/account/closure',
      { password: merchant.password, acknowledgeWarnings: true, deleteAllData: true },
      merchant.token,
    );
    expect(closure.status).toBe(202);
    const purgeAt = Date.parse(closure.body.purgeAt);
    const handle = client.workflow.getHandle(accountClosureWorkflowId(merchant.accountId));
    for (let tries = 0; (await handle.query(accountClosureStatusQuery)).state === 'closing' && tries < 400; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    await devServer.stop();
    devServer = await startServer();

    expect(await handle.result()).toBe('purged');
    // Not early: the grace period was kept across the restart.
    const purged = await stack.database.db
      .selectFrom('audit_events')
      .select('created_at')
      .where('account_id', '=', merchant.accountId)
      .where('type', '=', 'account_purged')
      .executeTakeFirstOrThrow();
    expect(purged.created_at.getTime()).toBeGreaterThanOrEqual(purgeAt - 1_000);
    const left = await stack.database.db
      .selectFrom('products')
      .select('id')
      .where('account_id', '=', merchant.accountId)
      .execute();
    expect(left).toEqual([]);
  }, 120_000);
});
