import os from 'node:os';
import { sql } from 'kysely';
import { seedDemoData } from '../../src/db/repositories/demo-data';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../src/services/data-export';
import { createAccounts, createSessions } from '../lib/fixtures';
import { nowMs, sleep } from '../lib/measure';
import { type CpuSplit, cpuWindow, describeCpu, rssMiB } from '../lib/procs';
import { type BenchContext, formatNumber, type ScenarioResult } from '../lib/report';
import { BENCH_PASSWORD } from './login';

const MiB = 2 ** 20;
/** The bench's bound on the API's memory during an export: what it holds must not grow with the rows. */
const RSS_GROWTH_BOUND_MIB = 64;
/** How often the API's and worker's RSS is read during an export: often enough to catch a short peak. */
const RSS_SAMPLE_MS = 20;
/** Every exported order, once: seedDemoData names orders ORD-<n>, and nothing else in the document does. */
const ORDER_MARKER = Buffer.from('"reference":"ORD-');
/** The end of the document kept to check that it closes as JSON (the audit trail comes last). */
const TAIL_BYTES = 64 * 1024;
/** The old-space cap of the second API process: far below the 1,000,000-order document (about 175 MiB). */
const CAPPED_OLD_SPACE_MIB = 128;

/** The API process an export is sent to. */
interface ApiProcess {
  url: string;
  pid: number;
}

interface ExportRun {
  orders: number;
  bytes: number;
  seconds: number;
  firstByteMs: number;
  apiIdleMiB: number;
  apiPeakMiB: number;
  /** The API's highest RSS while each tenth of the orders arrived: a bounded export levels off early. */
  apiPeakByTenthMiB: number[];
  workerIdleMiB: number;
  workerPeakMiB: number;
  cpu: CpuSplit;
  /** How the document was checked: parsed whole (the smaller run) or by its head, tail and row count. */
  checked: string;
}

/**
 * 6. Own data export: POST /v1/account/export of an account with `rows` orders (and of one with a
 * tenth of them), read over HTTP to the end, while the API's and the worker's RSS is sampled.
 * The export streams from keyset batches with backpressure, so the API's peak should stay the
 * same whatever the row count.
 */
export async function exportScenario(ctx: BenchContext, passwordHash: string, rows: number): Promise<ScenarioResult> {
  const db = ctx.db.db;
  const smallRows = Math.round(rows / 10);
  const integrations = 3;
  const accounts = await createAccounts(db, 'export', 3, passwordHash, { verified: true });
  const [warmToken, smallToken, largeToken] = await createSessions(db, accounts);

  let seedSeconds = 0;
  for (const [account, orders] of [
    [accounts[0]!, 10_000],
    [accounts[1]!, smallRows],
    [accounts[2]!, rows],
  ] as const) {
    ctx.log(`export: seeding ${formatNumber(orders)} orders`);
    const started = nowMs();
    await seedDemoData(db, account.id, { integrations, products: 0, orders });
    seedSeconds += (nowMs() - started) / 1000;
  }
  await sql`vacuum analyze orders`.execute(db);
  await sql`checkpoint`.execute(db);

  const api: ApiProcess = { url: ctx.apiUrl, pid: ctx.apiPid };
  // Warm-up: one small export, unmeasured, so the idle figure is the API as it runs, not as it starts.
  await exportOnce(ctx, api, warmToken!, { keepWhole: false, expectedOrders: 10_000 });
  await sleep(2_000);

  ctx.log(`export: ${formatNumber(smallRows)} orders`);
  const small = await exportOnce(ctx, api, smallToken!, { keepWhole: true, expectedOrders: smallRows });
  expectOrders(small, smallRows);
  await sleep(2_000);
  ctx.log(`export: ${formatNumber(rows)} orders`);
  const large = await exportOnce(ctx, api, largeToken!, { keepWhole: false, expectedOrders: rows });
  expectOrders(large, rows);

  // RSS alone cannot tell a held document from garbage V8 has not yet collected (its old space
  // grows lazily up to a limit set by the machine's memory). An API whose heap may not exceed a
  // fraction of the document settles it: it can finish only if it never holds the document.
  ctx.log(`export: ${formatNumber(rows)} orders on an API with --max-old-space-size=${CAPPED_OLD_SPACE_MIB}`);
  const cappedApi = await ctx.startExtraApi({ NODE_OPTIONS: `--max-old-space-size=${CAPPED_OLD_SPACE_MIB}` });
  let capped: ExportRun;
  try {
    await exportOnce(ctx, cappedApi, warmToken!, { keepWhole: false, expectedOrders: 10_000 });
    await sleep(2_000);
    capped = await exportOnce(ctx, cappedApi, largeToken!, { keepWhole: false, expectedOrders: rows });
    expectOrders(capped, rows);
  } finally {
    await cappedApi.stop();
  }

  // One baseline for both runs: the API idle after the warm-up, before the first measured export
  // (RSS rarely shrinks back, so the larger run's growth also carries what the smaller left).
  const apiIdleMiB = small.apiIdleMiB;
  const growth = (run: ExportRun, idle = apiIdleMiB) => run.apiPeakMiB - idle;
  const rate = (run: ExportRun) => run.orders / run.seconds;
  const bound = { op: '<=' as const, value: RSS_GROWTH_BOUND_MIB, source: 'bench' as const };
  // A peak that grew with the rows would grow about ten times here; a bounded one stays near 1.
  const growthRatio = growth(large) / growth(small);
  const defaultHolds = growth(large) <= RSS_GROWTH_BOUND_MIB && growth(small) <= RSS_GROWTH_BOUND_MIB;
  const cappedHolds = growth(capped, capped.apiIdleMiB) <= RSS_GROWTH_BOUND_MIB;
  const tenths = (run: ExportRun) =>
    run.apiPeakByTenthMiB.map((value) => (value === 0 ? '–' : formatNumber(value))).join(', ');
  const documentMiB = large.bytes / MiB;

  const analysis = [
    `**Memory: bounded; the bench's bound (growth ≤ ${RSS_GROWTH_BOUND_MIB} MiB) ${defaultHolds ? 'holds' : 'is missed with the default heap'} ` +
      `and ${cappedHolds ? 'holds' : 'is missed'} with the heap capped.** The API process's RSS, read every ${RSS_SAMPLE_MS} ms from /proc, ` +
      `from ${formatNumber(apiIdleMiB)} MiB idle: ${formatNumber(small.apiPeakMiB)} MiB at the peak of the ${formatNumber(smallRows)}-order export ` +
      `(+${formatNumber(growth(small))} MiB), ${formatNumber(large.apiPeakMiB)} MiB at the peak of the ${formatNumber(rows)}-order one ` +
      `(+${formatNumber(growth(large))} MiB, for a ${formatNumber(documentMiB)} MiB document): ten times the rows, ${formatNumber(growthRatio)} times the growth. ` +
      `The highest RSS in each tenth of the ${formatNumber(rows)} orders: ${tenths(large)} MiB. ` +
      `What grows is garbage awaiting collection, not the document: with the default heap limit (a share of this machine's ` +
      `${formatNumber(os.totalmem() / 2 ** 30)} GiB) V8 lets its old space, and the Buffers written to the socket, grow for a while before a full ` +
      `collection, so the RSS saws up and down by tenths of the rows rather than climbing with them. ` +
      `A second API process with \`--max-old-space-size=${CAPPED_OLD_SPACE_MIB}\` — less than the document — exported the same ${formatNumber(rows)} orders ` +
      `completely, from ${formatNumber(capped.apiIdleMiB)} MiB idle to a peak of ${formatNumber(capped.apiPeakMiB)} MiB ` +
      `(+${formatNumber(growth(capped, capped.apiIdleMiB))} MiB; by tenth: ${tenths(capped)} MiB) at ${formatNumber(rate(capped))} orders/s: ` +
      `it could not have finished while holding the document. ` +
      `The export reads one repeatable-read snapshot in keyset batches of 2,000 rows on the (account_id, id) index and writes each batch ` +
      `before reading the next, waiting for the socket's 'drain' when the client is slower (src/services/data-export.ts, src/api/routes/data-export.ts), ` +
      `so what it holds is one batch and the socket's buffer. An operator who wants the API's RSS flat sets \`NODE_OPTIONS=--max-old-space-size=…\` for it. ` +
      `The worker takes no part in an export: its RSS went ${formatNumber(large.workerIdleMiB)} → ${formatNumber(large.workerPeakMiB)} MiB.`,
    `**Where the time goes.** ${formatNumber(rate(large))} orders/s, ${formatNumber(documentMiB / large.seconds)} MiB/s of JSON ` +
      `(${formatNumber(large.bytes / large.orders)} bytes per order); the first byte after ${formatNumber(large.firstByteMs)} ms ` +
      `(the password check, argon2id, comes first). Cores during the ${formatNumber(rows)}-order export: ${describeCpu(large.cpu)}. ` +
      `The API's share is parsing the rows pg receives, mapping them and JSON.stringify of each; PostgreSQL's the index scans. ` +
      `What would move it: larger batches (fewer round trips, more memory per batch), or building each row's JSON in PostgreSQL, ` +
      `which moves the CPU from the API to the database.`,
  ];

  return {
    id: 6,
    title: 'Own data export',
    setup:
      `Accounts with ${integrations} integrations and ${formatNumber(smallRows)} and ${formatNumber(rows)} orders, made with the service's seedDemoData ` +
      `(one INSERT … SELECT generate_series each; ${formatNumber(seedSeconds)} s in all with a 10,000-order warm-up account), then VACUUM ANALYZE and CHECKPOINT. ` +
      `Each is exported once with POST /v1/account/export over HTTP (Node's fetch), the body read to the end as it arrives: the bench counts ` +
      `bytes and orders, parses the ${formatNumber(smallRows)}-order document whole (${small.checked}) and checks the ${formatNumber(rows)}-order one by ` +
      `its head, its row count and its last ${TAIL_BYTES / 1024} KiB parsed as JSON (${large.checked}). The API's and the worker's RSS ` +
      `are read every ${RSS_SAMPLE_MS} ms; "idle" is the API's RSS after a warm-up export, before the first measured one. ` +
      `Then a second API process with \`--max-old-space-size=${CAPPED_OLD_SPACE_MIB}\` is warmed up and exports the ${formatNumber(rows)} orders again.`,
    figures: [
      {
        label: `export throughput, ${formatNumber(rows)} orders`,
        value: rate(large),
        unit: 'rows/s',
        note: `${formatNumber(large.orders)} orders, ${formatNumber(documentMiB)} MiB in ${formatNumber(large.seconds)} s`,
      },
      {
        label: `export throughput, ${formatNumber(smallRows)} orders`,
        value: rate(small),
        unit: 'rows/s',
        note: `${formatNumber(small.orders)} orders, ${formatNumber(small.bytes / MiB)} MiB in ${formatNumber(small.seconds)} s`,
      },
      { label: 'API RSS idle', value: apiIdleMiB, unit: 'MiB', note: 'after a warm-up export' },
      {
        label: `API peak RSS growth, ${formatNumber(smallRows)} orders`,
        value: growth(small),
        unit: 'MiB',
        target: bound,
        note: `peak ${formatNumber(small.apiPeakMiB)} MiB`,
      },
      {
        label: `API peak RSS growth, ${formatNumber(rows)} orders`,
        value: growth(large),
        unit: 'MiB',
        target: bound,
        note: `peak ${formatNumber(large.apiPeakMiB)} MiB`,
      },
      {
        label: `API peak RSS growth, ${formatNumber(rows)} ÷ ${formatNumber(smallRows)} orders`,
        value: growthRatio,
        unit: '',
        note: 'ten times the rows; a growth that followed them would be near 10',
      },
      {
        label: `API peak RSS growth, ${formatNumber(rows)} orders, old space ≤ ${CAPPED_OLD_SPACE_MIB} MiB`,
        value: growth(capped, capped.apiIdleMiB),
        unit: 'MiB',
        target: bound,
        note: `idle ${formatNumber(capped.apiIdleMiB)} MiB, peak ${formatNumber(capped.apiPeakMiB)} MiB, ${formatNumber(rate(capped))} rows/s`,
      },
      {
        label: `worker peak RSS growth, ${formatNumber(rows)} orders`,
        value: large.workerPeakMiB - large.workerIdleMiB,
        unit: 'MiB',
        note: 'the worker takes no part in an export',
      },
    ],
    analysis,
    details: {
      rows,
      smallRows,
      seedSeconds,
      boundMiB: RSS_GROWTH_BOUND_MIB,
      holds: { defaultHeap: defaultHolds, cappedHeap: cappedHolds },
      small,
      large,
      capped,
    },
  };
}

function expectOrders(run: ExportRun, orders: number): void {
  if (run.orders !== orders) throw new Error(`the export held ${run.orders} orders, not ${orders}`);
}

/** One export over HTTP, read to the end, with the API's and worker's RSS sampled meanwhile. */
async function exportOnce(
  ctx: BenchContext,
  api: ApiProcess,
  token: string,
  options: { keepWhole: boolean; expectedOrders: number },
): Promise<ExportRun> {
  const apiIdleMiB = rssMiB(api.pid) ?? Number.NaN;
  const workerIdleMiB = rssMiB(ctx.workerPid) ?? Number.NaN;
  let apiPeakMiB = apiIdleMiB;
  let workerPeakMiB = workerIdleMiB;
  let orders = 0;
  const apiPeakByTenthMiB = Array.from({ length: 10 }, () => 0);
  const sampler = setInterval(() => {
    const apiNow = rssMiB(api.pid) ?? 0;
    apiPeakMiB = Math.max(apiPeakMiB, apiNow);
    const tenth = Math.min(9, Math.floor((10 * orders) / Math.max(1, options.expectedOrders)));
    apiPeakByTenthMiB[tenth] = Math.max(apiPeakByTenthMiB[tenth]!, apiNow);
    workerPeakMiB = Math.max(workerPeakMiB, rssMiB(ctx.workerPid) ?? 0);
  }, RSS_SAMPLE_MS);
  const window = cpuWindow(ctx.groups);
  const started = nowMs();
  try {
    const response = await fetch(`${api.url}/v1/account/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: BENCH_PASSWORD }),
    });
    if (response.status !== 200 || response.body === null)
      throw new Error(`export answered ${response.status}: ${await response.text()}`);
    let firstByteMs = Number.NaN;
    let bytes = 0;
    let head = Buffer.alloc(0);
    let tail = Buffer.alloc(0);
    const whole: Buffer[] = [];
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const piece = read.value;
      if (Number.isNaN(firstByteMs)) firstByteMs = nowMs() - started;
      const chunk = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      bytes += chunk.length;
      if (options.keepWhole) whole.push(Buffer.from(chunk));
      if (head.length < 256) head = Buffer.concat([head, chunk]).subarray(0, 256);
      // The marker may straddle two chunks: search the previous chunk's last bytes with this one.
      const carry = tail.subarray(Math.max(0, tail.length - (ORDER_MARKER.length - 1)));
      const searched = Buffer.concat([carry, chunk]);
      for (let at = searched.indexOf(ORDER_MARKER); at !== -1; at = searched.indexOf(ORDER_MARKER, at + 1)) orders++;
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > TAIL_BYTES) tail = Buffer.from(tail.subarray(tail.length - TAIL_BYTES));
    }
    const seconds = (nowMs() - started) / 1000;
    const cpu = window.stop();
    const checked = options.keepWhole ? checkWhole(Buffer.concat(whole), orders) : checkHeadAndTail(head, tail);
    return {
      orders,
      bytes,
      seconds,
      firstByteMs,
      apiIdleMiB,
      apiPeakMiB,
      apiPeakByTenthMiB,
      workerIdleMiB,
      workerPeakMiB,
      cpu,
      checked,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** The whole document parsed: the format, the version and as many orders as the stream counted. */
function checkWhole(document: Buffer, counted: number): string {
  const parsed = JSON.parse(document.toString('utf8')) as { format: string; version: number; orders: unknown[] };
  if (parsed.format !== EXPORT_FORMAT || parsed.version !== EXPORT_VERSION)
    throw new Error(`unexpected export format ${parsed.format} v${parsed.version}`);
  if (parsed.orders.length !== counted)
    throw new Error(`parsed ${parsed.orders.length} orders, the stream counted ${counted}`);
  return `JSON.parse: ${EXPORT_FORMAT} v${EXPORT_VERSION}, ${formatNumber(parsed.orders.length)} orders`;
}

/** The document's head names the format, and its end — the audit trail, last — parses and closes it. */
function checkHeadAndTail(head: Buffer, tail: Buffer): string {
  const expectedHead = `{"format":"${EXPORT_FORMAT}","version":${EXPORT_VERSION},`;
  if (!head.toString('utf8').startsWith(expectedHead)) throw new Error(`the export starts ${head.toString('utf8')}`);
  const end = tail.toString('utf8');
  const at = end.lastIndexOf(',"auditTrail":[');
  if (at === -1) throw new Error('the export does not end with its audit trail');
  const closing = JSON.parse(`{${end.slice(at + 1)}`) as { auditTrail: unknown[] };
  if (!Array.isArray(closing.auditTrail)) throw new Error('the audit trail is not an array');
  const events = closing.auditTrail.length;
  return `head and tail parse; the closing audit trail holds ${events} event${events === 1 ? '' : 's'}`;
}
