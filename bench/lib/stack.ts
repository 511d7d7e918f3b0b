import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { createDb } from '../../src/db/connection';
import type { Database } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { startEmbeddedPostgres } from '../../src/dev/embedded-postgres';
import { type DevServerStorage, startTemporalDevServer } from '../../src/dev/temporal-dev-server';
import { createLogger } from '../../src/logger';
import { findTemporalBinary, PROJECT_ROOT, TEMPORAL_CLI } from '../../src/temporal/binaries';
import type { LoadJob, LoadResult } from '../loadgen';
import { findPids, pidsByName } from './procs';

const logger = createLogger('warn');
const TSX_IMPORT = ['--import', 'tsx'];

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export interface BenchDatabase {
  name: string;
  url: string;
  adminUrl: string;
  /** A pool for the bench's own seeding and checks (not the service's). */
  db: Kysely<Database>;
  /** PIDs of the server processes: all of them (backends, writer, checkpointer, autovacuum). */
  serverPids(): number[];
  version: string;
  settings: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A database of the bench's own (`bench_<run>`) on DATABASE_URL's server, or on the machine's
 * PostgreSQL at 127.0.0.1:5432; an embedded PostgreSQL under .data/bench when neither answers.
 */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  let adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let stopEmbedded: (() => Promise<void>) | undefined;
  try {
    await adminQuery(adminUrl, 'select 1');
  } catch {
    const embedded = await startEmbeddedPostgres(path.join(PROJECT_ROOT, '.data', 'bench'), logger);
    adminUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const name = `bench_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  const db = createDb(url, 12);
  await migrateToLatest(db);
  const [{ server_version: version } = { server_version: '?' }] = await adminQuery<{ server_version: string }>(
    adminUrl,
    'show server_version',
  );
  const settings: Record<string, string> = {};
  for (const setting of ['shared_buffers', 'synchronous_commit', 'max_connections', 'work_mem']) {
    const [row] = await adminQuery<Record<string, string>>(adminUrl, `show ${setting}`);
    settings[setting] = row?.[setting] ?? '?';
  }
  return {
    name,
    url,
    adminUrl,
    db,
    serverPids: () => pidsByName('postgres'),
    version,
    settings,
    async drop() {
      await db.destroy();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await stopEmbedded?.();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Temporal dev server

export interface BenchTemporal {
  address: string;
  persistence: DevServerStorage;
  pid(): number | undefined;
  version: string;
  stop(): Promise<void>;
}

/**
 * `temporal server start-dev` on free ports, headless, as `npm start` runs it (startTemporalDevServer)
 * with the given storage: `wal` is what `npm start` uses; `journal` is SQLite's default journal
 * (what `npm start` used before); `memory` is the CLI's default, as the tests run it.
 */
export async function startBenchTemporal(persistence: DevServerStorage = 'wal'): Promise<BenchTemporal> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'connectprof-bench-temporal-'));
  const port = await freePort();
  const binary = findTemporalBinary(TEMPORAL_CLI);
  if (binary === undefined) throw new Error('No `temporal` CLI: run npm run tools:install');
  const server = await startTemporalDevServer({ dataDir, port, storage: persistence, namespace: 'default', logger });
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  return {
    address: server.address,
    persistence,
    // The server process is the one whose command line names this run's port.
    pid: () => findPids('start-dev', `--port ${port} `)[0],
    version,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Mail sink: a real SMTP server the worker's dispatcher delivers to

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  at: number;
}

export interface MailSink {
  url: string;
  /** Mail by recipient address (lower case). */
  byAddress: Map<string, ReceivedMail[]>;
  count(): number;
  waitFor(address: string, timeoutMs: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const byAddress = new Map<string, ReceivedMail[]>();
  const waiters = new Map<string, Array<(mail: ReceivedMail) => void>>();
  let total = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const at = Date.now();
          for (const rcpt of session.envelope.rcptTo) {
            const address = rcpt.address.toLowerCase();
            const mail = { to: address, subject: parsed.subject ?? '', text: parsed.text ?? '', at };
            byAddress.set(address, [...(byAddress.get(address) ?? []), mail]);
            total += 1;
            for (const wake of waiters.get(address) ?? []) wake(mail);
            waiters.delete(address);
          }
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    byAddress,
    count: () => total,
    waitFor(address, timeoutMs) {
      const key = address.toLowerCase();
      const existing = byAddress.get(key)?.[0];
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no mail for ${address} within ${timeoutMs} ms`)), timeoutMs);
        waiters.set(key, [
          ...(waiters.get(key) ?? []),
          (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        ]);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// The service's own processes, started exactly as `npm run start:api` / `start:worker` start them

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** Set by `--cpu-prof`: the API and worker write V8 CPU profiles here when they stop. */
export const profiling: { dir: string | undefined } = { dir: undefined };

function startService(entry: string, env: Record<string, string>, onLine?: (line: string) => void): ServiceProcess {
  // One folder per process kind; V8 names each file by pid and thread (tsx's loader is a thread too).
  const profile = profiling.dir
    ? ['--cpu-prof', '--cpu-prof-dir', path.join(profiling.dir, path.basename(entry, '.ts'))]
    : [];
  const child = spawn(process.execPath, [...profile, ...TSX_IMPORT, entry], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', onLine ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  if (onLine && child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null && !stopping)
      process.stderr.write(`bench: ${entry} exited with ${code}\n${stderr}\n`);
  });
  let stopping = false;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    child,
    pid: child.pid!,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The API in a process of its own (`src/api/server.ts`), ready once /readyz answers 200. */
export async function startApi(env: Record<string, string>): Promise<ServiceProcess & { url: string }> {
  const port = await freePort();
  const api = startService('src/api/server.ts', { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error('the API process exited during start-up');
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the API did not become ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { ...api, url };
}

/** The worker in a process of its own (`src/worker.ts`), ready once it logs that it started. */
export async function startWorkerProcess(env: Record<string, string>): Promise<ServiceProcess> {
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const worker = startService('src/worker.ts', { ...env, LOG_LEVEL: 'info' }, (line) => {
    if (line.includes('"worker started"')) ready();
  });
  const exited = once(worker.child, 'exit').then(() => {
    throw new Error('the worker process exited during start-up');
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the worker did not start within 120 s')), 120_000);
  });
  try {
    await Promise.race([started, exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
  exited.catch(() => undefined);
  return worker;
}

// ---------------------------------------------------------------------------------------------
// The load generator, in a process of its own

export interface LoadRun {
  pid: number;
  /** Resolves when autocannon has begun sending (the child's own start-up is over). */
  started: Promise<void>;
  result: Promise<LoadResult>;
  /** Ends the run early; `result` still resolves with what was measured. */
  stop(): void;
}

export function startLoad(job: LoadJob): LoadRun {
  const child = fork(path.join(__dirname, '..', 'loadgen.ts'), [], {
    cwd: PROJECT_ROOT,
    execArgv: TSX_IMPORT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let onStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  const result = new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (message: unknown) => {
      if (message === 'started') onStarted();
      else if (typeof message === 'object' && message !== null && 'result' in message)
        resolve((message as { result: LoadResult }).result);
    });
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code} before reporting`)));
  });
  child.send(job);
  return {
    pid: child.pid!,
    started,
    result,
    stop: () => {
      if (child.connected) child.send('stop');
    },
  };
}
