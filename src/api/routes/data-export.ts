import { once } from 'node:events';
import type { Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { authorizeExport, writeAccountExport } from '../../services/data-export';
import type { ServiceDeps } from '../../services/deps';
import { authOf, requestContext, requireSession } from '../middleware/auth';
import { password } from '../schemas';
import { parse } from '../validation';

export const exportBody = z.strictObject({ password });

/** Writes a chunk and waits while the client is slower than the database: memory stays flat. */
async function writeChunk(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) throw new Error('the client went away during the export');
  if (res.write(chunk)) return;
  await Promise.race([
    once(res, 'drain'),
    once(res, 'close').then(() => Promise.reject(new Error('the client went away during the export'))),
  ]);
}

export function dataExportRoutes(deps: ServiceDeps): Router {
  const router = Router();

  router.post('/v1/account/export', requireSession(deps), async (req, res) => {
    const { password: given } = parse(exportBody, req.body);
    const auth = authOf(req);
    await authorizeExport(deps, auth, given, requestContext(req));
    res
      .status(200)
      .type('application/json')
      .attachment(`connectprof-export-${new Date().toISOString().slice(0, 10)}.json`);
    try {
      await writeAccountExport(deps, auth, (chunk) => writeChunk(res, chunk));
      res.end();
    } catch (error) {
      // The status line is gone: cutting the connection is the only honest answer now (the
      // client sees a truncated, unparseable document rather than a complete-looking one).
      req.log.error({ err: { message: (error as Error).message } }, 'export failed midway');
      res.destroy();
    }
  });

  return router;
}
