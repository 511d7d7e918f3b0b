import { spawn } from 'node:child_process';
import os from 'node:os';
import { findLiveSession } from '../../src/db/repositories/sessions';
import { createAccounts, createSessions } from '../lib/fixtures';
import { interleaved, measureLoad, nowMs, saturate, sleep, summarize, warmUp } from '../lib/measure';
import { type CpuSplit, cpuWindow, describeCpu } from '../lib/procs';
import { type BenchContext, formatNumber, type ScenarioResult } from '../lib/report';
import { freePort } from '../lib/stack';

const ACCOUNTS = 200;

/** 2. GET /v1/account with a bearer token: requests per second, p99, and what the session lookup costs. */
export async function readScenario(ctx: BenchContext, passwordHash: string): Promise<ScenarioResult> {
  const connections = 32;
  const seconds = ctx.quick ? 4 : 9;
  const rounds = 3;
  const slice = seconds / rounds;
  const accounts = await createAccounts(ctx.db.db, 'read', ACCOUNTS, passwordHash, { verified: true });
  const tokens = await createSessions(ctx.db.db, accounts);
  const job = { url: ctx.apiUrl, method: 'GET' as const, path: '/v1/account', connections, tokens };

  // What would move it, measured beside the main figure: the same load on an API process
  // without the per-request access log, and spread over two API processes (one per core), as
  // `npm run start:api` twice would run. The three take turns, so drifting background load hits
  // them alike.
  const quiet = await ctx.startExtraApi({ LOG_LEVEL: 'warn' });
  const second = await ctx.startExtraApi({});
  const quietJob = { ...job, url: quiet.url };
  const twoJob = { ...job, urls: [ctx.apiUrl, second.url] };
  ctx.log(
    `GET /v1/account, ${connections} connections over ${ACCOUNTS} sessions: one process, LOG_LEVEL=warn, two processes, ${rounds} rounds of ${slice} s`,
  );
  for (const warm of [job, quietJob, twoJob]) await warmUp({ ...warm, duration: ctx.quick ? 1 : 3 });
  const runs = await interleaved(
    {
      one: () => measureLoad({ ...job, duration: slice }, ctx.groups),
      quiet: () => measureLoad({ ...quietJob, duration: slice }, ctx.groups),
      two: () => measureLoad({ ...twoJob, duration: slice }, ctx.groups),
    },
    rounds,
  );
  await quiet.stop();
  await second.stop();
  const read = runs.one;
  const quietRead = runs.quiet;
  const twoRead = runs.two;
  const ok = (run: typeof read) => (run.statusCodes['200'] ?? 0) / run.durationSeconds;
  const perSecond = ok(read);
  const quietPerSecond = ok(quietRead);
  const twoPerSecond = ok(twoRead);

  // The same server without a session lookup: the unauthenticated liveness route, for the floor
  // that Express, the access log and HTTP cost on their own.
  ctx.log('GET /healthz (no session, no database), same connections');
  const health = await measureLoad(
    { url: ctx.apiUrl, method: 'GET', path: '/healthz', connections, duration: ctx.quick ? 3 : 5 },
    ctx.groups,
  );

  // The floor of the machine itself: a bare Node.js HTTP server answering the same JSON as
  // /healthz, with no framework, in a process of its own.
  ctx.log('bare Node.js HTTP server, same connections');
  const barePort = await freePort();
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('{"status":"ok"}'); }).listen(${barePort}, '127.0.0.1')`,
    ],
    { stdio: 'ignore' },
  );
  await sleep(500);
  const bareRun = await measureLoad(
    { url: `http://127.0.0.1:${barePort}`, method: 'GET', path: '/', connections, duration: ctx.quick ? 2 : 3 },
    { ...ctx.groups, api: () => [bare.pid!] },
  );
  bare.kill('SIGTERM');
  const bareCostMs = (1000 * (bareRun.cpu.groups.api ?? 0)) / Math.max(1, bareRun.requests);

  // The session lookup alone, with the service's own repository functions on a pool like the
  // API's: what requireSession does for every authenticated request (token → session and roles).
  ctx.log('session lookup alone (findLiveSession)');
  const lookup = async (index: number) => {
    const session = await findLiveSession(ctx.db.db, tokens[index % tokens.length]!);
    if (!session) throw new Error('bench session not found');
  };
  let counter = 0;
  await saturate(1, 10, () => lookup(counter++));
  const sequential: number[] = [];
  for (let i = 0; i < (ctx.quick ? 300 : 1_000); i++) {
    const started = nowMs();
    await lookup(i);
    sequential.push(nowMs() - started);
  }
  const lookupWindow = cpuWindow({ postgres: ctx.db.serverPids, bench: () => [process.pid] });
  const concurrent = await saturate(ctx.quick ? 2 : 4, 10, () => lookup(counter++));
  const lookupCpu = lookupWindow.stop();
  const lookupCpuMs =
    (((lookupCpu.groups.bench ?? 0) + (lookupCpu.groups.postgres ?? 0)) * 1000) / concurrent.completed;
  const lookupLatency = summarize(sequential);

  const served = Math.max(1, read.requests);
  const requestCpuMs = (1000 * ((read.cpu.groups.api ?? 0) + (read.cpu.groups.postgres ?? 0))) / served;
  const healthCpuMs = (1000 * (health.cpu.groups.api ?? 0)) / Math.max(1, health.requests);
  const lookupShare = lookupCpuMs / requestCpuMs;
  const cores = os.availableParallelism();
  const target = 3_000;

  const analysis: string[] = [];
  // CPU-milliseconds per request, by process group, over a run.
  const perRequest = (run: { requests: number; cpu: CpuSplit }) => {
    const ms = (seconds: number | undefined) => (1000 * (seconds ?? 0)) / Math.max(1, run.requests);
    return {
      api: ms(run.cpu.groups.api),
      postgres: ms(run.cpu.groups.postgres),
      loadgen: ms(run.cpu.groups.loadgen),
      other: ms(run.cpu.other),
    };
  };
  const cost = perRequest(read);
  const quietCost = perRequest(quietRead);
  const twoCost = perRequest(twoRead);
  const healthCost = perRequest(health);
  const budgetMs = (cores * 1000) / target;
  const totalMs = cost.api + cost.postgres + cost.loadgen + cost.other;
  analysis.push(
    `**Where a request goes.** Each GET /v1/account makes one query: the session with its account row and the account's roles ` +
      `(sessions ⋈ accounts by token hash, roles as an array subquery), which \`requireSession\` puts on \`req.auth\` for the route to answer from. ` +
      `It is a named prepared statement, parsed and planned once per connection (measured by hand: about 120 µs less per query than the same ` +
      `SQL unnamed). CPU per request: the API process ` +
      `${formatNumber(cost.api)} ms, PostgreSQL ${formatNumber(cost.postgres)} ms, ` +
      `the load generator ${formatNumber(cost.loadgen)} ms, other work on the machine ${formatNumber(cost.other)} ms. ` +
      `The session lookup alone (that query, with the service's repository function) costs ${formatNumber(lookupCpuMs)} CPU-ms ` +
      `(${formatNumber(100 * lookupShare)}% of the request's API and PostgreSQL CPU) and ${formatNumber(lookupLatency.p50 * 1000)} µs ` +
      `of wall time when nothing else runs (p99 ${formatNumber(lookupLatency.p99 * 1000)} µs). ` +
      `GET /healthz, the same process with no session and no database, costs ${formatNumber(healthCost.api)} CPU-ms in the API and serves ` +
      `${formatNumber(health.requestsPerSecond)}/s: Express, its middleware, the access log and HTTP on their own. ` +
      `Cores during the read run: ${describeCpu(read.cpu)}.`,
  );
  if (perSecond < target) {
    analysis.push(
      `**Target missed (${formatNumber(perSecond)}/s < ${target}/s): why.** ${target} requests/s on ${cores} cores leaves ` +
        `${formatNumber(budgetMs)} ms of CPU per request for everything on the machine; a request costs ${formatNumber(totalMs)} ms here ` +
        `(API ${formatNumber(cost.api)}, PostgreSQL ${formatNumber(cost.postgres)}, load generator ${formatNumber(cost.loadgen)}, other ${formatNumber(cost.other)}), ` +
        `so the cores run out near ${formatNumber((cores * 1000) / totalMs)}/s, and even the empty /healthz route costs ${formatNumber(healthCost.api + healthCost.loadgen)} ms ` +
        `with the load generator. Two API processes (one per core) reached ${formatNumber(twoPerSecond)}/s (API ${formatNumber(twoCost.api)} CPU-ms per request): ` +
        (twoPerSecond > 1.1 * perSecond
          ? `${formatNumber(twoPerSecond / perSecond)}× one process (${describeCpu(twoRead.cpu)}). `
          : `no gain, because the machine, not the single event loop, is the limit (${describeCpu(twoRead.cpu)}). `) +
        `Without the access log (LOG_LEVEL=warn): ${formatNumber(quietPerSecond)}/s, API ${formatNumber(quietCost.api)} CPU-ms per request` +
        (quietPerSecond > 1.1 * perSecond
          ? `: ${formatNumber(quietPerSecond / perSecond)}× the default. `
          : ': no measurable gain. ') +
        `**What would move it:** less CPU per request, and no one part of it dominates now that a request makes 1 query instead of 4 ` +
        `(the roles and the account come with the session). A CPU profile of the API under this load (\`npm run bench -- --only 2 --cpu-prof\`, read by hand once) ` +
        `spends about a quarter of its busy time in the kernel's socket writes (writev: responses and queries), about 9% in the access log ` +
        `(pino-http and redaction), 7% in Express routing (every router is mounted at the root and tried in turn), 6% building Kysely queries ` +
        `and 5% in the pg client. GET /healthz costs ${formatNumber(healthCost.api)} CPU-ms in the API; a bare Node.js HTTP server answering the same JSON costs ` +
        `${formatNumber(bareCostMs)} CPU-ms per request and serves ${formatNumber(bareRun.requestsPerSecond)}/s here. PostgreSQL's share (${formatNumber(cost.postgres)} ms) is the prepared lookup itself. ` +
        `And the load generator shares the cores (${formatNumber(cost.loadgen)} ms per request). More cores: at about ${formatNumber(cost.api + cost.postgres)} ms of service CPU per request, ${target}/s takes ` +
        `${formatNumber((target * (cost.api + cost.postgres)) / 1000)} cores for the service alone, before the load generator's share.`,
    );
  } else {
    analysis.push(
      `**Target met** with one API process (${formatNumber(perSecond)}/s; ${formatNumber(totalMs)} ms of CPU per request against the ` +
        `${formatNumber(budgetMs)} ms that ${target}/s on ${cores} cores allows). What got it there: 4 queries per request down to 1, and that one ` +
        `prepared. The API process's own work is now most of a request (${formatNumber(cost.api)} ms, of which ${formatNumber(healthCost.api)} ms ` +
        `is what the empty /healthz route costs: Express, its middleware, the access log and HTTP); PostgreSQL takes ${formatNumber(cost.postgres)} ms. ` +
        `Without the access log: ${formatNumber(quietPerSecond)}/s; two API processes: ${formatNumber(twoPerSecond)}/s.`,
    );
  }

  return {
    id: 2,
    title: 'Authenticated read',
    setup:
      `GET /v1/account with ${connections} connections for ${seconds} s (${rounds} slices taking turns with the two variants) after a warm-up, cycling over ${ACCOUNTS} live sessions of ` +
      `${ACCOUNTS} accounts, against one API process on a ${cores}-core machine (API, PostgreSQL, Temporal and the load generator share the cores). ` +
      `The session lookup is also timed alone with the service's repository functions.`,
    figures: [
      {
        label: 'GET /v1/account throughput',
        value: perSecond,
        unit: '/s',
        target: { op: '>=', value: target, source: 'issue' },
        note: `${read.non2xx} non-2xx, ${read.errors} errors`,
      },
      {
        label: 'GET /v1/account p50 latency',
        value: read.latencyMs.p50,
        unit: 'ms',
        note: `${connections} connections`,
      },
      {
        label: 'GET /v1/account p99 latency',
        value: read.latencyMs.p99,
        unit: 'ms',
        note: `${connections} connections`,
      },
      {
        label: 'session lookup, wall time (p50)',
        value: lookupLatency.p50 * 1000,
        unit: 'µs',
        note: 'findLiveSession (session, account and roles), one at a time',
      },
      {
        label: 'session lookup, share of request CPU',
        value: 100 * lookupShare,
        unit: '%',
        note: `${formatNumber(lookupCpuMs)} of ${formatNumber(requestCpuMs)} CPU-ms`,
      },
      {
        label: 'GET /healthz throughput (no DB)',
        value: health.requestsPerSecond,
        unit: '/s',
        note: 'Express + access log ceiling',
      },
      {
        label: 'bare Node.js HTTP server throughput',
        value: bareRun.requestsPerSecond,
        unit: '/s',
        note: `no framework: the machine's floor; ${formatNumber(bareCostMs)} CPU-ms/request`,
      },
      {
        label: 'GET /v1/account, LOG_LEVEL=warn',
        value: quietPerSecond,
        unit: '/s',
        note: `p99 ${formatNumber(quietRead.latencyMs.p99)} ms; no access log line; API ${formatNumber(quietCost.api)} CPU-ms/request`,
      },
      {
        label: 'GET /v1/account, two API processes',
        value: twoPerSecond,
        unit: '/s',
        note: `p99 ${formatNumber(twoRead.latencyMs.p99)} ms; API ${formatNumber(twoCost.api)} CPU-ms/request`,
      },
      {
        label: 'GET /v1/account CPU per request',
        value: totalMs,
        unit: 'ms',
        note: `API ${formatNumber(cost.api)}, PostgreSQL ${formatNumber(cost.postgres)}, load generator ${formatNumber(cost.loadgen)}, other ${formatNumber(cost.other)}; the target allows ${formatNumber(budgetMs)}`,
      },
    ],
    analysis,
    details: {
      connections,
      seconds,
      cpuMsPerRequest: { one: cost, quiet: quietCost, two: twoCost, health: healthCost, bare: bareCostMs },
      bare: bareRun,
      read,
      quietRead,
      twoRead,
      health,
      lookup: {
        sequentialMs: lookupLatency,
        cpuMs: lookupCpuMs,
        concurrentPerSecond: concurrent.completed / concurrent.seconds,
      },
      requestCpuMs,
      healthCpuMs,
    },
  };
}
