import type { Client } from '@temporalio/client';
import { DefaultLogger, type NativeConnection, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createActivities } from './activities';
import type { Config } from './config';
import type { Database } from './db/database';
import type { Logger } from './logger';
import { startMailDispatcher } from './mail/dispatcher';
import { createMailTransport } from './mail/transport';
import { exitOnStartupFailure, onShutdownSignal, prepareFoundation, startupConfig } from './processes';
import { startPasswordResetDecoySweeper } from './services/password-reset';
import { startTemporalOutboxDrainer } from './services/temporal-outbox';
import { bundleWorkflows } from './temporal/bundle';
import { dataConverterFor } from './temporal/codec';
import { connectWorkerConnection } from './temporal/connection';

export interface WorkerDeps {
  config: Config;
  db: Kysely<Database>;
  logger: Logger;
  connection: NativeConnection;
  /** The service's client (every call bounded), for the outbox drainer's commands. */
  temporal: Client;
  /** A bundle built once and shared (tests, `npm start`); bundled here when absent. */
  workflowBundle?: WorkflowBundleOption;
  /** Cached (sticky) workflows; 0 replays every task from history. Default: WORKER_MAX_CACHED_WORKFLOWS. */
  maxCachedWorkflows?: number;
}

export interface RunningWorker {
  worker: Worker;
  /** Stops polling, lets running tasks finish, then stops the mail dispatcher, the Temporal outbox drainer and the decoy sweeper. */
  shutdown(): Promise<void>;
}

/**
 * deps → createActivities(deps) → Worker, plus the outbox dispatcher that delivers mail, the
 * drainer that delivers the Temporal commands an API could not deliver at once, and the sweeper of
 * expired password-reset decoys.
 */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { config, connection } = deps;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: deps.workflowBundle ?? (await bundleWorkflows()),
    activities: createActivities(deps),
    dataConverter: dataConverterFor(config),
    ...workerSizing(config, deps.maxCachedWorkflows),
  });
  const dispatcher = startMailDispatcher({
    db: deps.db,
    logger: deps.logger,
    transport: createMailTransport(config),
    from: config.mail.from,
    pollIntervalMs: config.mail.pollIntervalMs,
    maxBackoffMs: config.mail.retryMaxBackoffMs,
  });
  const drainer = startTemporalOutboxDrainer(deps);
  const decoySweeper = startPasswordResetDecoySweeper(deps);
  const running = worker.run();
  return {
    worker,
    async shutdown() {
      worker.shutdown();
      await running;
      await dispatcher.stop();
      await drainer.stop();
      await decoySweeper.stop();
    },
  };
}

/**
 * Bounds what a worker holds, whatever the number of sleeping flows: a sleeping flow lives in the
 * server as a timer, and in a worker only while it is among the `maxCachedWorkflows` most recently
 * run (evicted ones replay from history when they wake). One V8 context is reused by every
 * workflow (`reuseV8Context`, one workflow thread), far less memory than a context per workflow.
 */
export function workerSizing(config: Config, maxCachedWorkflows = config.worker.maxCachedWorkflows) {
  const { maxConcurrentWorkflowTasks, maxConcurrentActivities } = config.worker;
  return {
    maxCachedWorkflows,
    // The SDK refuses more concurrent workflow tasks than cached workflows, when it caches at all.
    maxConcurrentWorkflowTaskExecutions:
      maxCachedWorkflows === 0
        ? maxConcurrentWorkflowTasks
        : Math.max(2, Math.min(maxConcurrentWorkflowTasks, maxCachedWorkflows)),
    maxConcurrentActivityTaskExecutions: maxConcurrentActivities,
    maxConcurrentLocalActivityExecutions: maxConcurrentActivities,
    reuseV8Context: true,
    workflowThreadPoolSize: 1,
  };
}

const SDK_LOG_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** Routes the Temporal SDK's own logs through pino so every line is JSON like the rest. */
export function installWorkerLogger(logger: Logger): void {
  Runtime.install({
    // The process owns shutdown (see onShutdownSignal): it drains HTTP and the worker in order.
    shutdownSignals: [],
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
      logger[SDK_LOG_LEVELS[level]]({ ...meta }, message);
    }),
  });
}

/** `src/worker.ts` run directly: one worker against an existing PostgreSQL and Temporal. */
async function runWorkerProcess(): Promise<void> {
  const { config, logger, databaseUrl } = startupConfig('worker');
  installWorkerLogger(logger);
  const foundation = await prepareFoundation(config, logger, databaseUrl);
  const connection = await connectWorkerConnection(config);
  const worker = await startWorker({ ...foundation, connection });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker started');
  onShutdownSignal(logger, async () => {
    await worker.shutdown();
    await connection.close();
    await foundation.temporal.connection.close();
    await foundation.db.destroy();
  });
}

if (require.main === module) {
  runWorkerProcess().catch(exitOnStartupFailure);
}
