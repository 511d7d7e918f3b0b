/**
 * The load generator, run in a process of its own (never in the process it measures, never in
 * the service's): autocannon against one HTTP endpoint, driven by a JSON job received over IPC
 * (the first message; lists of tokens are too long for argv) and answering with one result.
 *
 * A job may rotate through a list of bearer tokens and/or bodies (one per request, in order),
 * so that many accounts are exercised; with `amount` and `once`, each item is sent exactly once.
 * Sent `stop` over IPC, it ends early and still reports (used while a purge runs).
 */
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  /** Several servers (e.g. one API process per core): connections are spread over them in turn. */
  urls?: string[];
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Total requests to make. */
  amount?: number;
  /** Requests per second over all connections; unset means as fast as the server answers. */
  overallRate?: number;
  /** One bearer token per request, taken in turn (wrapping around). */
  tokens?: string[];
  /** One JSON body per request, taken in turn with the same index as `tokens`. */
  bodies?: string[];
  /** A body for every request. */
  body?: string;
  timeoutSeconds?: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** CPU seconds the load generator itself used while it ran (it competes for the same cores). */
  cpuSeconds: number;
  /** Every response's latency (ms), so runs can be merged with exact percentiles. */
  latencies: number[];
}

async function run(job: LoadJob): Promise<LoadResult> {
  let next = 0;
  const rotating = (job.tokens?.length ?? 0) > 0 || (job.bodies?.length ?? 0) > 0;
  let finished: (result: autocannon.Result) => void = () => undefined;
  let failed: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const options: autocannon.Options = {
    // autocannon takes a list of URLs too (its types say only string).
    url: (job.urls ?? job.url) as string,
    connections: job.connections,
    ...(job.amount !== undefined ? { amount: job.amount } : { duration: job.duration ?? 10 }),
    ...(job.overallRate !== undefined && { overallRate: job.overallRate }),
    timeout: job.timeoutSeconds ?? 30,
    requests: [
      {
        method: job.method,
        path: job.path,
        headers: { 'content-type': 'application/json' },
        ...(job.body !== undefined && { body: job.body }),
        ...(rotating && {
          setupRequest: (request) => {
            const index = next++;
            const headers: Record<string, string> = {
              ...(request.headers as Record<string, string> | undefined),
              'content-type': 'application/json',
            };
            const token = job.tokens?.[index % job.tokens.length];
            if (token !== undefined) headers.authorization = `Bearer ${token}`;
            const body = job.bodies?.[index % job.bodies.length];
            return { ...request, headers, ...(body !== undefined && { body }) };
          },
        }),
      },
    ],
  };
  const instance = autocannon(options, (error: unknown, result) => (error ? failed(error) : finished(result)));
  const latencies: number[] = [];
  instance.on('response', (_client, _statusCode, _bytes, responseTime) => latencies.push(responseTime));
  process.on('message', (message) => {
    if (message === 'stop') instance.stop();
  });
  const cpuBefore = process.cpuUsage();
  process.send?.('started');
  const result = await done;
  const cpu = process.cpuUsage(cpuBefore);
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  const requests = result.requests.total;
  return {
    requests,
    durationSeconds: result.duration,
    requestsPerSecond: requests / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    latencies,
  };
}

if (!process.send) {
  process.stderr.write('loadgen: run me through bench (I take my job over IPC)\n');
  process.exit(2);
}
process.once('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`loadgen: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
