import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { SEARCH_ATTRIBUTE_NAMES } from '../shared/temporal';
import { findTemporalBinary, TEMPORAL_CLI } from '../temporal/binaries';

export interface TemporalDevServer {
  address: string;
  /** The server's process (the CLI runs the server in-process). */
  pid: number | undefined;
  /** Undefined when started without its Web UI. */
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * How the dev server keeps its SQLite database. `wal`: a file under `dataDir` in WAL mode with
 * synchronous=NORMAL (commits stay durable across a crash of the server, not always across a
 * power cut), about 3× the workflow starts per second of `journal` on the same disk (see
 * BENCHMARKS.md). `journal`: a file with SQLite's defaults (rollback journal, synchronous=FULL).
 * `memory`: nothing kept, as the CLI does by default.
 */
export type DevServerStorage = 'wal' | 'journal' | 'memory';

// The dev server needs a few seconds on a cold start (SQLite schema, namespace).
const READY_TIMEOUT_MS = 60_000;

/**
 * Runs `temporal server start-dev` (with its Web UI when `uiPort` is given), persisted in SQLite
 * under `dataDir`, and the project's search attributes already registered.
 */
export async function startTemporalDevServer(options: {
  dataDir: string;
  port: number;
  uiPort?: number;
  /** Where the Web UI sends payloads to be decoded (the service's /codec), so it shows them in clear. */
  uiCodecEndpoint?: string;
  storage?: DevServerStorage;
  namespace: string;
  logger: Logger;
}): Promise<TemporalDevServer> {
  const binary = findTemporalBinary(TEMPORAL_CLI);
  if (binary === undefined) {
    throw new Error('No `temporal` CLI: set TEMPORAL_CLI_PATH, put it on PATH, or install Python 3 with pip');
  }
  const storage = options.storage ?? 'wal';
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    ...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.uiCodecEndpoint === undefined ? [] : ['--ui-codec-endpoint', options.uiCodecEndpoint]),
    '--namespace',
    options.namespace,
    ...(storage === 'memory' ? [] : ['--db-filename', path.join(options.dataDir, 'temporal.sqlite')]),
    ...(storage === 'wal' ? ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'] : []),
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTE_NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) =>
    options.logger.debug({ temporal: chunk.toString().trim() }, 'temporal dev server'),
  );
  child.stderr?.on('data', (chunk: Buffer) =>
    options.logger.debug({ temporal: chunk.toString().trim() }, 'temporal dev server'),
  );

  // Should this process die without stopping it, the dev server must not outlive it and hold the port.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  const address = `127.0.0.1:${options.port}`;
  await waitUntilReachable(address, child);
  return {
    address,
    pid: child.pid,
    uiUrl: options.uiPort === undefined ? undefined : `http://localhost:${options.uiPort}`,
    stop: () => stopChild(child),
  };
}

/**
 * `npm start` points its dev server's Web UI at the service's codec endpoint and lets that UI,
 * from this machine, decode without the operator token: payloads show in clear with no setup.
 * Never in production, where the token rule stands alone.
 */
export function withLocalUiCodec(config: Config): { config: Config; uiCodecEndpoint: string | undefined } {
  if (config.env === 'production') return { config, uiCodecEndpoint: undefined };
  const origins = [`http://localhost:${config.temporal.uiPort}`, `http://127.0.0.1:${config.temporal.uiPort}`];
  return {
    config: {
      ...config,
      corsOrigins: [...config.corsOrigins, ...origins],
      codec: { ...config.codec, localUiOrigins: origins },
    },
    uiCodecEndpoint: `http://localhost:${config.port}/codec`,
  };
}

async function waitUntilReachable(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('temporal dev server exited during start-up (is port 7233 or 8233 taken?)');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`temporal dev server not reachable at ${address}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
