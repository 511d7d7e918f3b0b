import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { inject } from 'vitest';
import type { Config } from '../../src/config';
import { startServiceProcess } from './service-process';

/**
 * The real worker entry point (`src/worker.ts`) in a process of its own, so a test can kill it
 * with SIGKILL mid-task, as a crash or an OOM kill would.
 */
export class WorkerProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(config: Config, databaseUrl: string): Promise<WorkerProcess> {
    // Ready once it logs that it started (after bundling the workflows).
    const child = await startServiceProcess(
      'src/worker.ts',
      {
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: config.temporal.namespace,
        TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
        SMTP_URL: config.mail.smtpUrl ?? '',
        MAIL_POLL_INTERVAL: '50ms',
      },
      'worker started',
    );
    return new WorkerProcess(child);
  }

  private get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGKILL: no shutdown, no finally blocks, no last heartbeat. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
