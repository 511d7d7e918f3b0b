import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createApp } from '../../src/api/app';
import { listen } from '../../src/api/server';
import type { Config, Env } from '../../src/config';
import { createDb } from '../../src/db/connection';
import { createLogger, type Logger } from '../../src/logger';
import { dataConverterFor } from '../../src/temporal/codec';
import { connectServiceConnection, serviceClient } from '../../src/temporal/connection';
import { type RunningWorker, startWorker } from '../../src/worker';
import { testConfig } from './config';
import { cloneTemplateDatabase, type TestDatabase } from './database-clone';
import type { SharedServices } from './shared-services';
import { HttpClient } from './http';
import { TestSmtpServer } from './smtp';

export interface TestStack {
  config: Config;
  database: TestDatabase;
  smtp: TestSmtpServer;
  /** The tests' own client (no deadline: it may wait for a result); the service has its own, bounded one. */
  temporal: Client;
  /** The client the API and the outbox drainer use, made as the service makes it (every call bounded). */
  serviceTemporal: Client;
  worker: RunningWorker | undefined;
  http: HttpClient;
  /** The API's base URL, which also serves the web panel at `/`. */
  url: string;
  logger: Logger;
  /** The database as the service reaches it (the same as `database.db` unless proxied). */
  serviceDb: TestDatabase['db'];
  /** Stops the worker (running tasks finish) and starts a new one, as a worker restart would. */
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  env?: Partial<Record<keyof Env, string>>;
  /** The service's logger (the default is silent); tests that read the logs pass their own. */
  logger?: Logger;
  /** The URL the service (API and worker) reaches the database by, e.g. through a TcpProxy. */
  serviceDatabaseUrl?: (directUrl: string) => string;
  /** The address the service's own Temporal client dials, e.g. through a TcpProxy (the shared dev server only). */
  serviceTemporalAddress?: (directAddress: string) => string;
  /** False: no worker in this process (a test runs its own, e.g. in a child process it can kill). */
  worker?: boolean;
  /** Another Temporal server, such as a time-skipping environment's; the shared dev server otherwise. */
  temporal?: { client: Client; nativeConnection: NativeConnection; namespace: string };
}

/** The shared services a stack is built on (vitest provides them; Playwright passes them through the environment). */
export type StackServices = Pick<
  SharedServices,
  'adminDatabaseUrl' | 'templateDatabase' | 'temporalAddress' | 'workflowBundlePath'
>;

/**
 * The whole service for one test file: its own database, a real SMTP server, a worker on a task
 * queue of its own, and the API listening on a free port. Every part is real. No vitest here:
 * the browser tests run it under Playwright.
 */
export async function startServiceStack(shared: StackServices, options: StackOptions = {}): Promise<TestStack> {
  const database = await cloneTemplateDatabase(shared.adminDatabaseUrl, shared.templateDatabase);
  const smtp = await TestSmtpServer.start();
  const config = testConfig({
    DATABASE_URL: database.url,
    SMTP_URL: smtp.url,
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(4).toString('hex')}`,
    ...options.env,
  });
  const logger = options.logger ?? createLogger('silent');
  // The service's own connection pool, possibly through a proxy; tests assert through `database.db`.
  const serviceDb = options.serviceDatabaseUrl
    ? createDb(options.serviceDatabaseUrl(database.url), 5, logger)
    : database.db;

  let temporal: Client;
  let service: Client;
  let nativeConnection: NativeConnection;
  let ownsConnections = false;
  if (options.temporal) {
    temporal = options.temporal.client;
    service = temporal;
    nativeConnection = options.temporal.nativeConnection;
    config.temporal.namespace = options.temporal.namespace;
  } else {
    const address = shared.temporalAddress;
    temporal = new Client({
      connection: await Connection.connect({ address }),
      namespace: config.temporal.namespace,
      dataConverter: dataConverterFor(config),
    });
    service = serviceClient(
      config,
      await connectServiceConnection(config, options.serviceTemporalAddress?.(address) ?? address),
    );
    nativeConnection = await NativeConnection.connect({ address });
    ownsConnections = true;
  }

  const deps = { config, db: serviceDb, logger, temporal: service };
  const workerDeps = {
    ...deps,
    connection: nativeConnection,
    workflowBundle: { codePath: shared.workflowBundlePath },
    // The time-skipping server does not hand a sticky workflow back to the normal queue when its
    // worker stops, so time would stay locked after a restart: without a cache there is no
    // sticky queue, and every task replays the history (which also proves replay works).
    ...(options.temporal && { maxCachedWorkflows: 0 }),
  };
  let worker: RunningWorker | undefined = options.worker === false ? undefined : await startWorker(workerDeps);
  const server = await listen(createApp(deps), 0, '127.0.0.1');

  return {
    config,
    database,
    smtp,
    temporal,
    serviceTemporal: service,
    get worker() {
      return worker;
    },
    http: new HttpClient(server.url),
    url: server.url,
    logger,
    serviceDb,
    async restartWorker() {
      await worker?.shutdown();
      worker = await startWorker(workerDeps);
    },
    async stop() {
      await server.close();
      await worker?.shutdown();
      if (ownsConnections) {
        await nativeConnection.close();
        await temporal.connection.close();
        await service.connection.close();
      }
      await smtp.close();
      if (serviceDb !== database.db) await serviceDb.destroy();
      await database.drop();
    },
  };
}
