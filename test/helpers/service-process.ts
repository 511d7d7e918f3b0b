import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/temporal/binaries';

/**
 * One of the service's entry points (`src/api/server.ts`, `src/worker.ts`) in a process of its
 * own, exactly as `npm run start:api` / `start:worker` run it; resolves once its log shows
 * `readyLine`. The environment adds to the test process's own, with NODE_ENV=test.
 */
export async function startServiceProcess(
  entry: string,
  env: Record<string, string>,
  readyLine: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(readyLine)) return;
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining its output, so a full pipe never blocks the process.
      child.stdout?.resume();
      resolve();
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${entry} exited with ${code} before logging "${readyLine}"`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
  return child;
}
