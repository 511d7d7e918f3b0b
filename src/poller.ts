export interface Poller {
  /** Runs a round now, after the one in progress, without waiting for the next tick. */
  flush(): Promise<void>;
  /** No new round starts; resolves once the one in progress has finished. */
  stop(): Promise<void>;
}

export interface PollerOptions {
  /** Handles one batch; returns how many items it took. */
  handleBatch(): Promise<number>;
  batchSize: number;
  intervalMs: number;
  onError(error: unknown): void;
}

/**
 * Drains a table a batch at a time: every `intervalMs`, batches are handled for as long as full
 * ones come back (a backlog drains without waiting a tick per batch). One round at a time: the
 * next tick is set when a round ends, so a slow round never overlaps the next.
 */
export function startPoller(options: PollerOptions): Poller {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const round = async () => {
    try {
      while (!stopped && (await options.handleBatch()) === options.batchSize);
    } catch (error) {
      options.onError(error);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = round().finally(schedule);
    }, options.intervalMs);
  };
  schedule();
  return {
    async flush() {
      await current;
      current = round();
      await current;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
