import { Router } from 'express';
import { sql } from 'kysely';
import type { AppDeps } from '../app';
import { DomainError } from '../../domain/errors';

// Readiness must answer quickly even when a dependency hangs.
const READINESS_TIMEOUT_MS = 2_000;

async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), READINESS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes({ db, temporal }: AppDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const checks: Record<string, () => Promise<unknown>> = {
      postgres: () => sql`select 1`.execute(db),
      temporal: () => temporal.workflowService.getSystemInfo({}),
    };
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check());
          return [name, 'ok'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const failing = results.filter(([, state]) => state !== 'ok').map(([name]) => name);
    const checkStates = Object.fromEntries(results);
    if (failing.length > 0) {
      throw new DomainError('service_unavailable', `Not ready: ${failing.join(', ')} unreachable`, {
        checks: checkStates,
      });
    }
    res.json({ status: 'ready', checks: checkStates });
  });

  return router;
}
