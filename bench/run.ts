/**
 * `npm run bench`: starts PostgreSQL (a database of its own on the machine's server), a Temporal
 * dev server, a mail sink, the worker and the API as separate processes, runs the five scenarios
 * of the benchmark issue and the data export's (issue 15) with warm-up, and the panel's two ("How
 * fast": its first-load JavaScript, built with `npm run build:web`, and Lighthouse on Edit My
 * Account in Debian's Chromium), prints a table and writes bench/results.json and BENCHMARKS.md.
 * Benchmarks report; they never fail on a number.
 *
 *   npm run bench                 the sizes (1,000,000 products and 1,000,000 orders to purge, 1,000 then 10,000 sleeping flows,
 *                                 1,000,000 orders to export, and a tenth of that)
 *   npm run bench -- --quick      small sizes and short runs, for a smoke run (writes *.quick.* files)
 *   npm run bench -- --only 2,4   some scenarios only (--only 7,8: the panel's)
 *   --purge-rows N, --flows N,M   override the sizes (flows: stages, cumulative)
 *   --export-rows N               orders in the larger export (the smaller has a tenth)
 *   --temporal wal|journal|memory the dev server's SQLite: a file in WAL mode as `npm start` runs it
 *                                 (default), a file with SQLite's default rollback journal (slower:
 *                                 scenario 5 measures all three), or in memory as the tests run it
 *   --no-wait                     start at once even if the machine is busy (by default the bench waits
 *                                 up to 2 minutes for other work to calm down, and records how busy it was)
 *   --cpu-prof                    the API and worker write V8 CPU profiles to bench/profiles/
 *                                 (summarise one with `tsx bench/profile-summary.ts FILE`)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import argon2 from 'argon2';
import { loadConfig } from '../src/config';
import type { DevServerStorage } from '../src/dev/temporal-dev-server';
import { PROJECT_ROOT } from '../src/temporal/binaries';
import { connectClient } from '../src/temporal/connection';
import { machineBusyShare } from './lib/procs';
import { consoleTable, type BenchContext, type Environment, markdownReport, type ScenarioResult } from './lib/report';
import {
  createBenchDatabase,
  profiling,
  startApi,
  startBenchTemporal,
  startMailSink,
  startWorkerProcess,
} from './lib/stack';
import { codeRoundTripScenario } from './scenarios/code-round-trip';
import { exportScenario } from './scenarios/export';
import { firstLoadJsScenario } from './scenarios/first-load-js';
import { lighthouseScenario } from './scenarios/lighthouse';
import { BENCH_PASSWORD, loginScenario } from './scenarios/login';
import { purgeScenario } from './scenarios/purge';
import { readScenario } from './scenarios/read';
import { sleepingFlowsScenario } from './scenarios/sleeping-flows';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'purge-rows': { type: 'string' },
    'export-rows': { type: 'string' },
    flows: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    temporal: { type: 'string', default: 'wal' },
    'no-wait': { type: 'boolean', default: false },
  },
});
const quick = flags.quick ?? false;
const only = flags.only ? new Set(flags.only.split(',').map((id) => Number(id.trim()))) : undefined;
const purgeRows = Number(flags['purge-rows'] ?? (quick ? 60_000 : 2_000_000));
const exportRows = Number(flags['export-rows'] ?? (quick ? 100_000 : 1_000_000));
// Two stages, so the report shows whether the worker's memory levels off as flows are added.
const sleepingFlows = (flags.flows ?? (quick ? '100,500' : '1000,10000')).split(',').map(Number);
const persistence = flags.temporal as DevServerStorage;
if (!['journal', 'memory', 'wal'].includes(persistence)) throw new Error('--temporal must be wal, journal or memory');

if (flags['cpu-prof']) profiling.dir = path.join(PROJECT_ROOT, 'bench', 'profiles');

const began = Date.now();
const log = (message: string) =>
  process.stdout.write(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

function packageVersion(name: string): string {
  try {
    const file = path.join(PROJECT_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** How busy the machine is before the bench starts anything; waits a while for a quiet machine. */
async function backgroundLoad(): Promise<number> {
  let busy = await machineBusyShare(3);
  const deadline = Date.now() + 120_000;
  while (busy > 0.2 && !flags['no-wait'] && Date.now() < deadline) {
    log(
      `the machine is ${Math.round(100 * busy)}% busy with other work; waiting for it to calm down (--no-wait to skip)`,
    );
    busy = await machineBusyShare(5);
  }
  if (busy > 0.2)
    log(
      `warning: ${Math.round(100 * busy)}% of the CPU is busy with other work; figures will be lower than this machine can do`,
    );
  return busy;
}

async function main(): Promise<void> {
  log(`${quick ? 'quick' : 'full'} run on ${os.availableParallelism()} cores`);
  const busyBefore = await backgroundLoad();
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    stops.length = 0;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log('interrupted: stopping what the bench started');
      void stopAll().finally(() => process.exit(130));
    });
  }

  try {
    const database = await createBenchDatabase();
    stops.push(database.drop);
    log(`PostgreSQL ${database.version}: database ${database.name}`);
    const temporal = await startBenchTemporal(persistence);
    stops.push(temporal.stop);
    log(`Temporal dev server at ${temporal.address} (SQLite: ${persistence})`);
    const mail = await startMailSink();
    stops.push(mail.close);

    const serviceEnv: Record<string, string> = {
      NODE_ENV: 'production',
      SECRET_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: `bench-${randomBytes(3).toString('hex')}`,
      SMTP_URL: mail.url,
      LOG_LEVEL: 'info',
      // Every request of the bench comes from 127.0.0.1; real clients spread over many addresses.
      RATE_LIMIT_CODE_ATTEMPTS_PER_IP: '1000000',
    };
    const config = loadConfig(serviceEnv);
    const temporalClient = await connectClient(config);
    stops.push(() => temporalClient.connection.close());

    log('starting the worker (bundles the workflows)');
    const worker = await startWorkerProcess(serviceEnv);
    stops.push(worker.stop);
    const api = await startApi(serviceEnv);
    stops.push(api.stop);
    log(`API at ${api.url} (pid ${api.pid}), worker pid ${worker.pid}`);

    const apiPids = new Set([api.pid]);
    const ctx: BenchContext = {
      quick,
      db: database,
      temporal,
      temporalClient,
      mail,
      apiUrl: api.url,
      apiPid: api.pid,
      workerPid: worker.pid,
      config,
      serviceEnv,
      groups: {
        api: () => [...apiPids],
        worker: () => [worker.pid],
        temporal: () => {
          const pid = temporal.pid();
          return pid === undefined ? [] : [pid];
        },
        postgres: database.serverPids,
        bench: () => [process.pid],
      },
      async startExtraApi(overrides) {
        const extra = await startApi({ ...serviceEnv, ...overrides });
        apiPids.add(extra.pid);
        return {
          url: extra.url,
          pid: extra.pid,
          async stop() {
            await extra.stop();
            apiPids.delete(extra.pid);
          },
        };
      },
      log,
    };

    const passwordHash = await argon2.hash(BENCH_PASSWORD, {
      type: argon2.argon2id as 2,
      memoryCost: config.argon2.memoryCost,
      timeCost: config.argon2.timeCost,
      parallelism: config.argon2.parallelism,
    });
    const scenarios: Array<[number, string, () => Promise<ScenarioResult>]> = [
      [1, 'Password login vs the hashing limit', () => loginScenario(ctx)],
      [2, 'Authenticated read', () => readScenario(ctx, passwordHash)],
      [3, 'Code round trip', () => codeRoundTripScenario(ctx, passwordHash)],
      [4, 'Purge throughput', () => purgeScenario(ctx, passwordHash, purgeRows)],
      [5, 'Many sleeping flows', () => sleepingFlowsScenario(ctx, passwordHash, sleepingFlows)],
      [6, 'Own data export', () => exportScenario(ctx, passwordHash, exportRows)],
      [7, "The panel's first-load JavaScript", () => firstLoadJsScenario(ctx)],
      [8, 'Lighthouse on Edit My Account', () => lighthouseScenario(ctx, passwordHash)],
    ];
    const results: ScenarioResult[] = [];
    for (const [id, title, run] of scenarios) {
      if (only && !only.has(id)) continue;
      log(`scenario ${id}: ${title}`);
      try {
        results.push(await run());
      } catch (error) {
        // A scenario that breaks is reported as such; the others still run.
        log(`scenario ${id} failed: ${(error as Error).stack ?? String(error)}`);
        results.push({
          id,
          title,
          setup: 'The scenario did not complete.',
          figures: [],
          analysis: [`**Failed:** ${String(error)}`],
          details: { error: String(error) },
        });
      }
    }

    const environment: Environment = {
      date: new Date().toISOString(),
      mode: quick ? 'quick' : 'full',
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? '?',
      memoryGiB: os.totalmem() / 2 ** 30,
      node: process.version,
      postgres: database.version,
      postgresSettings: database.settings,
      temporal: `${temporal.version.replaceAll('\n', ' ')}; dev server SQLite: ${persistence}`,
      temporalSdk: packageVersion('@temporalio/worker'),
      autocannon: packageVersion('autocannon'),
      commit: gitCommit(),
      durationSeconds: (Date.now() - began) / 1000,
      backgroundLoad: busyBefore,
      serviceConfig: {
        ARGON2_MEMORY_KIB: String(config.argon2.memoryCost),
        ARGON2_ITERATIONS: String(config.argon2.timeCost),
        ARGON2_PARALLELISM: String(config.argon2.parallelism),
        DATABASE_POOL_SIZE: String(config.databasePoolSize),
        PURGE_BATCH_SIZE: String(config.purgeBatchSize),
        LOG_LEVEL: config.logLevel,
        NODE_ENV: config.env,
        RATE_LIMIT_CODE_ATTEMPTS_PER_IP: String(config.rateLimits.codeAttemptsPerIp),
      },
    };
    const suffix = quick ? '.quick' : '';
    const jsonPath = path.join(PROJECT_ROOT, 'bench', `results${suffix}.json`);
    const markdownPath = quick
      ? path.join(PROJECT_ROOT, 'bench', 'BENCHMARKS.quick.md')
      : path.join(PROJECT_ROOT, 'BENCHMARKS.md');
    // Every response's latency is kept only to merge runs; the file keeps their summaries.
    const withoutSamples = (key: string, value: unknown) => (key === 'latencies' ? undefined : value);
    // `--only` re-measures some scenarios: the others keep their figures from the last run.
    if (only && existsSync(jsonPath)) {
      environment.remeasured = [...only].sort((a, b) => a - b);
      const previous = JSON.parse(readFileSync(jsonPath, 'utf8')) as { results: ScenarioResult[] };
      results.push(...previous.results.filter((result) => !only.has(result.id)));
      results.sort((a, b) => a.id - b.id);
    }
    writeFileSync(jsonPath, `${JSON.stringify({ environment, results }, withoutSamples, 2)}\n`);
    writeFileSync(markdownPath, markdownReport(environment, results));
    process.stdout.write(`\n${consoleTable(results)}\n\n`);
    log(`wrote ${path.relative(PROJECT_ROOT, jsonPath)} and ${path.relative(PROJECT_ROOT, markdownPath)}`);
  } finally {
    log('stopping');
    await stopAll();
  }
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim() !==
      '';
    return dirty ? `${commit} (src/ with uncommitted changes)` : commit;
  } catch {
    return '?';
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
