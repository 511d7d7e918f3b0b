import type { LoadJob, LoadResult } from '../loadgen';
import { type CpuGroups, type CpuSplit, cpuWindow } from './procs';
import { startLoad } from './stack';

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of a list of samples. */
export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return {
    count: sorted.length,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `work` with at most `concurrency` calls in flight until `count` are done; returns each call's latency (ms). */
export async function pool<T>(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<T>,
): Promise<number[]> {
  const latencies: number[] = new Array<number>(count);
  let next = 0;
  const lane = async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const started = nowMs();
      await work(index);
      latencies[index] = nowMs() - started;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return latencies;
}

/** Keeps `concurrency` calls in flight for `seconds`; returns how many completed and the latencies. */
export async function saturate(
  seconds: number,
  concurrency: number,
  work: () => Promise<unknown>,
): Promise<{ completed: number; seconds: number; latencies: number[] }> {
  const started = nowMs();
  const deadline = started + seconds * 1000;
  const latencies: number[] = [];
  const lane = async () => {
    while (nowMs() < deadline) {
      const t0 = nowMs();
      await work();
      latencies.push(nowMs() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { completed: latencies.length, seconds: (nowMs() - started) / 1000, latencies };
}

export interface MeasuredLoad extends LoadResult {
  cpu: CpuSplit;
}

/**
 * One autocannon run in its own process, with the CPU of every group (and of the load generator
 * itself) accounted over exactly the time autocannon was sending. `during` runs meanwhile (a
 * purge, say); when given, the load is stopped as soon as it finishes.
 */
export async function measureLoad(
  job: LoadJob,
  groups: CpuGroups,
  during?: () => Promise<void>,
): Promise<MeasuredLoad> {
  const run = startLoad(job);
  await run.started;
  const window = cpuWindow(groups);
  if (during) {
    await during();
    run.stop();
  }
  const result = await run.result;
  const cpu = window.stop();
  cpu.groups.loadgen = result.cpuSeconds;
  cpu.other = Math.max(0, cpu.other - result.cpuSeconds);
  return { ...result, cpu };
}

/** Several runs of the same load as one: summed counts and CPU, exact percentiles over every response. */
export function mergeLoads(runs: MeasuredLoad[]): MeasuredLoad {
  const first = runs[0]!;
  const latencies = runs.flatMap((run) => run.latencies);
  const latency = summarize(latencies);
  const statusCodes: Record<string, number> = {};
  for (const run of runs)
    for (const [code, count] of Object.entries(run.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const sum = (pick: (run: MeasuredLoad) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const groups: Record<string, number> = {};
  for (const run of runs)
    for (const [name, seconds] of Object.entries(run.cpu.groups)) groups[name] = (groups[name] ?? 0) + seconds;
  const requests = sum((run) => run.requests);
  const durationSeconds = sum((run) => run.durationSeconds);
  return {
    ...first,
    requests,
    durationSeconds,
    requestsPerSecond: requests / durationSeconds,
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max, mean: latency.mean },
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    statusCodes,
    cpuSeconds: sum((run) => run.cpuSeconds),
    latencies,
    cpu: {
      wallSeconds: sum((run) => run.cpu.wallSeconds),
      groups,
      other: sum((run) => run.cpu.other),
      machineBusy: sum((run) => run.cpu.machineBusy),
      capacity: sum((run) => run.cpu.capacity),
    },
  };
}

/**
 * Runs each variant in turn, `rounds` times, `seconds` each, and merges each variant's rounds:
 * variants compared this way see the same background load, even when it drifts.
 */
export async function interleaved<K extends string>(
  variants: Record<K, () => Promise<MeasuredLoad>>,
  rounds: number,
): Promise<Record<K, MeasuredLoad>> {
  const collected = Object.fromEntries(Object.keys(variants).map((key) => [key, [] as MeasuredLoad[]])) as Record<
    K,
    MeasuredLoad[]
  >;
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(variants) as K[]) collected[key].push(await variants[key]());
  }
  return Object.fromEntries(
    Object.entries(collected).map(([key, runs]) => [key, mergeLoads(runs as MeasuredLoad[])]),
  ) as Record<K, MeasuredLoad>;
}

/** A load run whose only purpose is to warm the service up (JIT, pools, caches); its result is dropped. */
export async function warmUp(job: LoadJob): Promise<void> {
  await startLoad(job).result;
}
