import v8 from 'node:v8';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import type { PasswordRotationInput } from '../../src/shared/password-rotation';
import { ACCOUNT_ID, PASSWORD_ROTATION_STATE } from '../../src/shared/temporal';
import { passwordRotationWorkflowId } from '../../src/shared/workflow-ids';
import type { passwordRotationWorkflow } from '../../src/workflows';
import { type BenchAccount, createAccounts } from '../lib/fixtures';
import { nowMs, pool, sleep, summarize } from '../lib/measure';
import { cpuWindow, describeCpu, rssMiB } from '../lib/procs';
import { type BenchContext, formatNumber, type ScenarioResult } from '../lib/report';
import { startBenchTemporal } from '../lib/stack';

const MINUTE = 60_000;

/**
 * 5. Many sleeping flows: `count` accounts, each with its password rotation workflow started
 * through the Temporal client and asleep on its first reminder timer. Reports the worker's and
 * the dev server's memory, the time to start them all, and whether a reminder due afterwards
 * still reaches the mailbox on time (time compressed by the workflow's input, as configuration
 * would: PASSWORD_MAX_AGE / PASSWORD_REMINDERS).
 */
export async function sleepingFlowsScenario(ctx: BenchContext, passwordHash: string, count: number): Promise<ScenarioResult> {
  const client = ctx.temporalClient;
  const taskQueue = ctx.config.temporal.taskQueue;
  const concurrency = 32;
  // Sleepers: a 2-hour cycle with reminders 60, 30 and 1 minute before expiry, so the first
  // timer fires an hour from now, long after the run. Probes: a 75-second cycle with one
  // reminder 60 s before expiry, so it is due 15 s after the probe starts.
  const sleeperCycle = { maxAgeMs: 120 * MINUTE, remindersMs: [60 * MINUTE, 30 * MINUTE, MINUTE] };
  const probeCycle = { maxAgeMs: 75_000, remindersMs: [60_000] };
  const probeCount = 20;

  const start = (account: BenchAccount, changedAt: Date, cycle: typeof sleeperCycle) => {
    const input: PasswordRotationInput = { accountId: account.id, changedAt: changedAt.getTime(), ...cycle };
    return client.workflow.start<typeof passwordRotationWorkflow>('passwordRotationWorkflow', {
      workflowId: passwordRotationWorkflowId(account.id),
      taskQueue,
      args: [input],
      typedSearchAttributes: [
        { key: ACCOUNT_ID, value: account.id },
        { key: PASSWORD_ROTATION_STATE, value: 'current' },
      ],
    });
  };

  const changedAt = new Date();
  const sleepers = await createAccounts(ctx.db.db, 'sleeper', count, passwordHash, { verified: true, passwordChangedAt: changedAt });
  const workerBefore = rssMiB(ctx.workerPid) ?? Number.NaN;
  const temporalPid = ctx.temporal.pid();
  const temporalBefore = temporalPid ? (rssMiB(temporalPid) ?? Number.NaN) : Number.NaN;

  ctx.log(`sleeping flows: starting ${formatNumber(count)} rotation workflows, ${concurrency} starts in flight`);
  const window = cpuWindow(ctx.groups);
  const startedAt = nowMs();
  const startLatencies = await pool(sleepers.length, concurrency, (index) => start(sleepers[index]!, changedAt, sleeperCycle));
  const startSeconds = (nowMs() - startedAt) / 1000;

  // Asleep: every workflow has had its first task (it set its search attribute and timer), so
  // the task queue has no backlog left.
  const asleepSeconds = await waitUntilAsleep(ctx, taskQueue, sleepers.slice(-50), 600_000).then(() => (nowMs() - startedAt) / 1000);
  const cpu = window.stop();
  const settleSamples: number[] = [];
  for (let i = 0; i < 3; i++) {
    await sleep(1_000);
    settleSamples.push(rssMiB(ctx.workerPid) ?? Number.NaN);
  }
  const workerAfter = Math.max(...settleSamples);
  const temporalAfter = temporalPid ? (rssMiB(temporalPid) ?? Number.NaN) : Number.NaN;
  const running = await client.workflow.count(`WorkflowType = 'passwordRotationWorkflow' AND ExecutionStatus = 'Running'`);

  // Probes: a reminder that falls due now, with all the sleepers in place.
  ctx.log(`sleeping flows: ${probeCount} probe workflows with a reminder due in 15 s`);
  const probeChangedAt = new Date();
  const probes = await createAccounts(ctx.db.db, 'probe', probeCount, passwordHash, { verified: true, passwordChangedAt: probeChangedAt });
  await pool(probes.length, 8, (index) => start(probes[index]!, probeChangedAt, probeCycle));
  const dueAt = probeChangedAt.getTime() + probeCycle.maxAgeMs - probeCycle.remindersMs[0]!;
  const deadline = dueAt + 60_000;
  let reminders: Array<{ created: Date; sent: Date | null }> = [];
  while (Date.now() < deadline) {
    const result = await sql<{ created: Date; sent: Date | null }>`
      select o.created_at as created, o.sent_at as sent from mail_outbox o
      join accounts a on split_part(o.idempotency_key, ':', 2) = a.id::text
      where o.idempotency_key like 'password-reminder:%'
        and a.email like 'probe-%@bench.connectprof.test'`.execute(ctx.db.db);
    reminders = result.rows;
    if (reminders.length === probeCount && reminders.every((row) => row.sent !== null)) break;
    await sleep(250);
  }
  const sleeperReminders = await sql<{ n: string }>`
    select count(*) as n from mail_outbox o
    join accounts a on split_part(o.idempotency_key, ':', 2) = a.id::text
    where a.email like 'sleeper-%@bench.connectprof.test'`.execute(ctx.db.db);
  const delivered = reminders.filter((row) => row.sent !== null);
  // How far apart the first and the last reminder went out: the dispatcher's share of the lateness.
  const sentTimes = delivered.map((row) => row.sent!.getTime()).sort((a, b) => a - b);
  const sendSpreadMs = sentTimes.length > 1 ? sentTimes.at(-1)! - sentTimes[0]! : Number.NaN;

  // The dev server's own limit on starts, by SQLite mode: fresh servers, starts only (no worker).
  ctx.log('sleeping flows: dev server start rate by SQLite mode');
  const startRates: Record<string, number> = {};
  for (const mode of ['journal', 'wal', 'memory'] as const) {
    const server = await startBenchTemporal(mode);
    try {
      const connection = await Connection.connect({ address: server.address });
      const bare = new Client({ connection, namespace: 'default' });
      const n = ctx.quick ? 150 : 300;
      const t0 = nowMs();
      await pool(n, concurrency, (index) =>
        bare.workflow.start('passwordRotationWorkflow', { workflowId: `bench-start-${index}`, taskQueue: 'bench-nobody-polls', args: [] }),
      );
      startRates[mode] = n / ((nowMs() - t0) / 1000);
      await connection.close();
    } finally {
      await server.stop();
    }
  }
  const enqueueLateness = summarize(reminders.map((row) => (row.created.getTime() - dueAt) / 1000));
  const deliveryLateness = summarize(delivered.map((row) => (row.sent!.getTime() - dueAt) / 1000));
  const onTimeBound = 2 + ctx.config.mail.pollIntervalMs / 1000;

  const perFlowWorkerKiB = ((workerAfter - workerBefore) * 1024) / count;
  const perFlowTemporalKiB = ((temporalAfter - temporalBefore) * 1024) / count;
  const heapMiB = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  const cacheSize = Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);

  const analysis: string[] = [];
  analysis.push(
    `**Memory.** The worker grew from ${formatNumber(workerBefore)} MiB to ${formatNumber(workerAfter)} MiB ` +
      `(${formatNumber(perFlowWorkerKiB)} KiB per started flow); the SDK keeps at most ~${formatNumber(cacheSize)} workflows in its sticky cache ` +
      `by default (from the heap limit), evicting the rest, which replay from history when their timer fires, so the worker's memory ` +
      `should level off once the cache is full rather than grow with every sleeping flow: the growth is ` +
      `${formatNumber(((workerAfter - workerBefore) * 1024) / Math.min(count, cacheSize))} KiB per cached flow ` +
      `(${formatNumber(Math.min(count, cacheSize))} of the ${formatNumber(count)} can be cached). The dev server grew from ${formatNumber(temporalBefore)} MiB to ${formatNumber(temporalAfter)} MiB ` +
      `(${formatNumber(perFlowTemporalKiB)} KiB per flow: its SQLite page cache, history and timer queues; a production cluster keeps this in its database). ` +
      `A sleeping flow costs no CPU: it is a durable timer in the server.`,
  );
  analysis.push(
    `**Starting.** ${formatNumber(count)} starts, ${concurrency} in flight, took ${formatNumber(startSeconds)} s ` +
      `(${formatNumber(count / startSeconds)}/s; each start p50 ${formatNumber(summarize(startLatencies).p50)} ms); all were asleep ` +
      `(first workflow task done, task queue empty) after ${formatNumber(asleepSeconds)} s. Cores meanwhile: ${describeCpu(cpu)}. ` +
      `Each start is a persisted write in the dev server and each first task a poll, a replay-free run of the workflow code and ` +
      `a search-attribute upsert. The dev server is what limits this: on fresh dev servers, starts alone ` +
      `(${concurrency} in flight, no worker) reach ${formatNumber(startRates.journal ?? Number.NaN)}/s with SQLite's default rollback journal, ` +
      `${formatNumber(startRates.wal ?? Number.NaN)}/s with the same file in WAL mode (synchronous=NORMAL, as \`npm start\` runs it), and ${formatNumber(startRates.memory ?? Number.NaN)}/s ` +
      `in memory (as the tests run it). This run's server: ${ctx.temporal.persistence}.`,
  );
  analysis.push(
    `**A reminder on time.** ${probeCount} probe flows started after the sleepers, each with a reminder due 15 s later: ` +
      `${reminders.length}/${probeCount} reminders were written to the outbox (lateness p50 ${formatNumber(enqueueLateness.p50)} s, max ${formatNumber(enqueueLateness.max)} s) ` +
      `and ${delivered.length}/${probeCount} delivered over SMTP (sent_at − due: p50 ${formatNumber(deliveryLateness.p50)} s, max ${formatNumber(deliveryLateness.max)} s; ` +
      `the dispatcher polls every ${formatNumber(ctx.config.mail.pollIntervalMs)} ms, then sends the due mails side by side over pooled SMTP connections; ` +
      `first to last ${formatNumber(sendSpreadMs)} ms apart here). No sleeper sent mail early (${sleeperReminders.rows[0]?.n ?? '?'} rows for them). ` +
      `"On time" here means delivered within ${formatNumber(onTimeBound)} s of the due time (timer, activity, one outbox poll and SMTP), a bound this benchmark sets.`,
  );

  return {
    id: 5,
    title: 'Many sleeping flows',
    setup:
      `${formatNumber(count)} accounts, each with its passwordRotationWorkflow started directly through the Temporal client (ID password-rotation-<account>, ` +
      `search attributes as the service sets them) with a compressed cycle (max age 2 h, reminders 60 min, 30 min and 1 min before expiry), so every ` +
      `flow sleeps on its first reminder timer for the rest of the run. ${probeCount} more flows with a 75 s cycle and one reminder 60 s before expiry then ` +
      `check that a reminder due now is still delivered on time; delivery is read from the mail_outbox table (sent_at).`,
    figures: [
      { label: 'time to start all flows', value: startSeconds, unit: 's', note: `${formatNumber(count / startSeconds)} starts/s, ${concurrency} in flight; ${running} running` },
      { label: 'time until all asleep', value: asleepSeconds, unit: 's', note: 'task queue backlog empty' },
      ...(['journal', 'wal', 'memory'] as const).map((mode) => ({
        label: `dev server starts/s, SQLite ${mode}`,
        value: startRates[mode] ?? Number.NaN,
        unit: '/s',
        note: mode === 'journal' ? 'SQLite defaults: what npm start ran before' : mode === 'wal' ? 'journal_mode=wal, synchronous=normal: as npm start runs it' : 'as the tests run it',
      })),
      { label: 'worker RSS with all asleep', value: workerAfter, unit: 'MiB', note: `was ${formatNumber(workerBefore)} MiB` },
      { label: 'Temporal dev server RSS with all asleep', value: temporalAfter, unit: 'MiB', note: `was ${formatNumber(temporalBefore)} MiB` },
      {
        label: 'reminder delivered after due (max)',
        value: delivered.length === probeCount ? deliveryLateness.max : Number.POSITIVE_INFINITY,
        unit: 's',
        target: { op: '<=', value: onTimeBound, source: 'bench' },
        note: `${delivered.length}/${probeCount} delivered; p50 ${formatNumber(deliveryLateness.p50)} s`,
      },
    ],
    analysis,
    details: {
      count,
      concurrency,
      startSeconds,
      asleepSeconds,
      startLatencyMs: summarize(startLatencies),
      running,
      rssMiB: { workerBefore, workerAfter, temporalBefore, temporalAfter },
      workerCacheSize: cacheSize,
      devServerStartsPerSecond: startRates,
      reminderSendSpreadMs: sendSpreadMs,
      probes: { count: probeCount, written: reminders.length, delivered: delivered.length, enqueueLatenessS: enqueueLateness, deliveryLatenessS: deliveryLateness },
      cpu,
    },
  };
}

/**
 * Waits until every started flow has had its first workflow task: the task queue has no backlog
 * (two readings in a row, as the count is approximate), and the last flows started show the
 * first task completed in their history.
 */
async function waitUntilAsleep(ctx: BenchContext, taskQueue: string, lastStarted: BenchAccount[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince: number | undefined;
  while (Date.now() < deadline) {
    const response = await ctx.temporalClient.workflowService.describeTaskQueue({
      namespace: ctx.config.temporal.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
      reportStats: true,
    });
    const backlog = Number(response.stats?.approximateBacklogCount ?? 0);
    quietSince = backlog === 0 ? (quietSince ?? Date.now()) : undefined;
    if (quietSince !== undefined && Date.now() - quietSince >= 500) {
      // Started, task scheduled, started, completed, then the commands: more than 4 events once asleep.
      const lengths = await Promise.all(
        lastStarted.map((account) => ctx.temporalClient.workflow.getHandle(passwordRotationWorkflowId(account.id)).describe().then((d) => d.historyLength)),
      );
      if (lengths.every((length) => length > 4)) return;
    }
    await sleep(250);
  }
  throw new Error('the rotation flows were not all asleep by the deadline');
}
