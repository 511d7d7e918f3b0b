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

/** The bound of issue 13: a worker's memory levels off, whatever the number of sleeping flows. */
const WORKER_RSS_BOUND_MIB = 512;
const WORKER_RSS_GROWTH_BOUND = 1.2;

/**
 * 5. Many sleeping flows: `counts` accounts (in stages, e.g. 1,000 then 10,000 in all), each with its password rotation workflow started
 * through the Temporal client and asleep on its first reminder timer. Reports the worker's and
 * the dev server's memory, the time to start them all, and whether a reminder due afterwards
 * still reaches the mailbox on time (time compressed by the workflow's input, as configuration
 * would: PASSWORD_MAX_AGE / PASSWORD_REMINDERS).
 */
export async function sleepingFlowsScenario(
  ctx: BenchContext,
  passwordHash: string,
  counts: number[],
): Promise<ScenarioResult> {
  const count = counts.at(-1)!;
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
  const workerBefore = rssMiB(ctx.workerPid) ?? Number.NaN;
  const temporalPid = ctx.temporal.pid();
  const temporalBefore = temporalPid ? (rssMiB(temporalPid) ?? Number.NaN) : Number.NaN;

  // In stages: all flows of a stage asleep, then the worker's memory read, then the next stage on top.
  const stages: Array<{ flows: number; workerRssMiB: number }> = [];
  const startLatencies: number[] = [];
  const window = cpuWindow(ctx.groups);
  const startedAt = nowMs();
  let asleepSeconds = 0;
  for (const [stage, flows] of counts.entries()) {
    const already = stages.at(-1)?.flows ?? 0;
    const sleepers = await createAccounts(ctx.db.db, `sleeper-${stage}`, flows - already, passwordHash, {
      verified: true,
      passwordChangedAt: changedAt,
    });
    ctx.log(
      `sleeping flows: starting ${formatNumber(sleepers.length)} rotation workflows (${formatNumber(flows)} in all), ${concurrency} starts in flight`,
    );
    startLatencies.push(
      ...(await pool(sleepers.length, concurrency, (index) => start(sleepers[index]!, changedAt, sleeperCycle))),
    );
    // Asleep: every workflow has had its first task (it set its search attribute and timer), so
    // the task queue has no backlog left.
    await waitUntilAsleep(ctx, taskQueue, sleepers.slice(-50), 600_000);
    asleepSeconds = (nowMs() - startedAt) / 1000;
    stages.push({ flows, workerRssMiB: await settledRssMiB(ctx.workerPid) });
  }
  const startSeconds = asleepSeconds;
  const cpu = window.stop();
  const workerAfter = stages.at(-1)!.workerRssMiB;
  const smallest = stages[0]!;
  const growth = workerAfter / smallest.workerRssMiB;
  const temporalAfter = temporalPid ? (rssMiB(temporalPid) ?? Number.NaN) : Number.NaN;
  const { count: running } = await client.workflow.count(
    `WorkflowType = 'passwordRotationWorkflow' AND ExecutionStatus = 'Running'`,
  );

  // Probes: a reminder that falls due now, with all the sleepers in place.
  ctx.log(`sleeping flows: ${probeCount} probe workflows with a reminder due in 15 s`);
  const probeChangedAt = new Date();
  const probes = await createAccounts(ctx.db.db, 'probe', probeCount, passwordHash, {
    verified: true,
    passwordChangedAt: probeChangedAt,
  });
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
        bare.workflow.start('passwordRotationWorkflow', {
          workflowId: `bench-start-${index}`,
          taskQueue: 'bench-nobody-polls',
          args: [],
        }),
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

  const perFlowTemporalKiB = ((temporalAfter - temporalBefore) * 1024) / count;
  const cacheSize = ctx.config.worker.maxCachedWorkflows;

  const analysis: string[] = [];
  const stageText = stages
    .map((stage) => `${formatNumber(stage.workerRssMiB)} MiB with ${formatNumber(stage.flows)} flows asleep`)
    .join(', ');
  analysis.push(
    `**Memory.** The worker started at ${formatNumber(workerBefore)} MiB; ${stageText} ` +
      `(the larger ${formatNumber(growth)}× the smaller; bounds: at most ${WORKER_RSS_GROWTH_BOUND}× and ${WORKER_RSS_BOUND_MIB} MiB). ` +
      `A worker keeps at most WORKER_MAX_CACHED_WORKFLOWS = ${formatNumber(cacheSize)} workflows in its sticky cache and evicts the ` +
      `rest, which replay from history when their timer fires, so its memory levels off once the cache is full instead of growing with ` +
      `every sleeping flow (before this bound the SDK sized the cache from the heap limit, ~2,300 workflows here, and the worker ` +
      `reached 1.1 to 1.7 GiB at 10,000 flows). The dev server grew from ${formatNumber(temporalBefore)} MiB to ${formatNumber(temporalAfter)} MiB ` +
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
      {
        label: 'time to start all flows',
        value: startSeconds,
        unit: 's',
        note: `${formatNumber(count / startSeconds)} starts/s, ${concurrency} in flight; ${running} running`,
      },
      { label: 'time until all asleep', value: asleepSeconds, unit: 's', note: 'task queue backlog empty' },
      ...(['journal', 'wal', 'memory'] as const).map((mode) => ({
        label: `dev server starts/s, SQLite ${mode}`,
        value: startRates[mode] ?? Number.NaN,
        unit: '/s',
        note:
          mode === 'journal'
            ? 'SQLite defaults: what npm start ran before'
            : mode === 'wal'
              ? 'journal_mode=wal, synchronous=normal: as npm start runs it'
              : 'as the tests run it',
      })),
      ...stages.map((stage) => ({
        label: `worker RSS, ${formatNumber(stage.flows)} flows asleep`,
        value: stage.workerRssMiB,
        unit: 'MiB',
        target: { op: '<=' as const, value: WORKER_RSS_BOUND_MIB, source: 'issue' as const },
        note: `was ${formatNumber(workerBefore)} MiB before any flow; cache ${formatNumber(cacheSize)} workflows`,
      })),
      {
        label: `worker RSS, ${formatNumber(count)} ÷ ${formatNumber(smallest.flows)} flows`,
        value: growth,
        unit: '×',
        target: { op: '<=', value: WORKER_RSS_GROWTH_BOUND, source: 'issue' },
        note: 'memory levels off: more sleeping flows, no more worker memory',
      },
      {
        label: 'Temporal dev server RSS with all asleep',
        value: temporalAfter,
        unit: 'MiB',
        note: `was ${formatNumber(temporalBefore)} MiB`,
      },
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
      rssMiB: { workerBefore, workerAfter, temporalBefore, temporalAfter, stages },
      workerCacheSize: cacheSize,
      devServerStartsPerSecond: startRates,
      reminderSendSpreadMs: sendSpreadMs,
      probes: {
        count: probeCount,
        written: reminders.length,
        delivered: delivered.length,
        enqueueLatenessS: enqueueLateness,
        deliveryLatenessS: deliveryLateness,
      },
      cpu,
    },
  };
}

/**
 * The process's RSS once it has settled: the highest of three readings a second apart, after a
 * full garbage collection has had time to run (the worker's heap shrinks lazily).
 */
async function settledRssMiB(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    await sleep(1_000);
    samples.push(rssMiB(pid) ?? Number.NaN);
  }
  return Math.max(...samples);
}

/**
 * Waits until every started flow has had its first workflow task: the task queue has no backlog
 * (two readings in a row, as the count is approximate), and the last flows started show the
 * first task completed in their history.
 */
async function waitUntilAsleep(
  ctx: BenchContext,
  taskQueue: string,
  lastStarted: BenchAccount[],
  timeoutMs: number,
): Promise<void> {
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
        lastStarted.map((account) =>
          ctx.temporalClient.workflow
            .getHandle(passwordRotationWorkflowId(account.id))
            .describe()
            .then((d) => d.historyLength),
        ),
      );
      if (lengths.every((length) => length > 4)) return;
    }
    await sleep(250);
  }
  throw new Error('the rotation flows were not all asleep by the deadline');
}
