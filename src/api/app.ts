import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Kysely } from 'kysely';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { webPanel } from './browser/web-panel';
import { errorHandler, notFound } from './middleware/errors';
import { loadCommonPasswords } from '../domain/common-passwords';
import { createPasswordHasher, type PasswordHasher } from '../services/passwords';
import type { ServiceDeps } from '../services/deps';
import { DomainError } from '../domain/errors';
import { buildOpenApiDocument } from './openapi';
import { createRateLimits } from '../services/rate-limits';
import { refuseDeepJson } from './validation';
import { accountRoutes } from './routes/account';
import { closureRoutes } from './routes/closure';
import { codecRoutes } from './routes/codec';
import { integrationRoutes } from './routes/integrations';
import { supportRoutes } from './routes/support';
import { authRoutes } from './routes/auth';
import { healthRoutes } from './routes/health';
import { policyRoutes } from './routes/policies';
import { passwordRoutes } from './routes/password';
import { passwordResetRoutes } from './routes/password-reset';
import { lockRoutes } from './routes/lock';
import { dataExportRoutes } from './routes/data-export';
import { sessionRoutes } from './routes/sessions';
import { supportRequestRoutes } from './routes/support-requests';
import { twoFactorRoutes } from './routes/two-factor';

export interface AppDeps {
  config: Config;
  db: Kysely<Database>;
  temporal: Client;
  logger: Logger;
  /** Shared when several apps run in one process (tests); built from the config otherwise. */
  passwords?: PasswordHasher;
}

// Account payloads are small; anything larger is a mistake or an attack.
const JSON_BODY_LIMIT = '16kb';

/** Builds the Express app without listening, so tests can start it on port 0. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Answers carry account data, tokens and secrets: no validator for a cache to key them on.
  app.set('etag', false);
  app.set('trust proxy', deps.config.trustProxy);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // The request line and status are enough; bodies and headers may carry secrets.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(helmet());
  // Cross-origin calls are off unless origins are configured (the panel's own origin, say).
  if (deps.config.corsOrigins.length > 0) app.use(cors({ origin: deps.config.corsOrigins, credentials: false }));
  // A body is JSON or nothing: anything else is refused rather than read as empty.
  app.use((req, _res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is('application/json')) throw new DomainError('unsupported_media_type');
    next();
  });
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));
  app.use(refuseDeepJson);
  // Every API answer is either authenticated or may carry a secret (a token, a TOTP secret, a
  // code's verdict): no browser, proxy or CDN may keep a copy. Errors included.
  app.use(['/v1', '/codec'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(cookieParser());

  const openApiDocument = buildOpenApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApiDocument, { customSiteTitle: 'ConnectProf account API' }));

  const services: ServiceDeps = {
    ...deps,
    passwords: deps.passwords ?? createPasswordHasher(deps.config),
    rateLimits: createRateLimits(deps.db, deps.config),
  };
  app.use(healthRoutes(deps));
  app.use(policyRoutes(deps.config));
  app.use(codecRoutes(deps.config));
  app.use(authRoutes(services));
  app.use(passwordResetRoutes(services));
  app.use(lockRoutes(services));
  app.use(passwordRoutes(services));
  app.use(twoFactorRoutes(services));
  app.use(closureRoutes(services));
  app.use(integrationRoutes(services));
  app.use(supportRoutes(services));
  app.use(sessionRoutes(services));
  app.use(dataExportRoutes(services));
  app.use(accountRoutes(services));
  app.use(supportRequestRoutes(services));
  app.use(webPanel());

  // Read at start-up rather than by the first sign-up, which would wait for it.
  setImmediate(loadCommonPasswords);

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
