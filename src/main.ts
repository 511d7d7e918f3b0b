import path from 'node:path';
import { createApp } from './api/app';
import { listen } from './api/server';
import { loadConfig } from './config';
import { startEmbeddedPostgres } from './dev/embedded-postgres';
import { startTemporalDevServer, withLocalUiCodec } from './dev/temporal-dev-server';
import { ensureWebBuild } from './dev/web-build';
import { createLogger } from './logger';
import { exitOnStartupFailure, onShutdownSignal, prepareFoundation } from './processes';
import { PROJECT_ROOT } from './temporal/binaries';
import { connectWorkerConnection, LOCAL_TEMPORAL_ADDRESS } from './temporal/connection';
import { installWorkerLogger, startWorker } from './worker';

/**
 * `npm start`: the whole stack in one command. PostgreSQL and Temporal are started here when
 * DATABASE_URL and TEMPORAL_ADDRESS are unset (data under .data/), then the worker and the API.
 */
async function main(): Promise<void> {
  let config = loadConfig();
  const logger = createLogger(config.logLevel);
  installWorkerLogger(logger.child({ role: 'worker' }));
  const dataDir = path.join(PROJECT_ROOT, '.data');
  const stops: Array<() => Promise<void>> = [];
  onShutdownSignal(logger, async () => {
    for (const stop of stops.reverse()) await stop();
  });

  let databaseUrl = config.databaseUrl;
  if (databaseUrl === undefined) {
    const postgres = await startEmbeddedPostgres(dataDir, logger);
    stops.push(postgres.stop);
    databaseUrl = postgres.url;
  }

  let temporalUi = 'the Temporal cluster at TEMPORAL_ADDRESS';
  if (config.temporal.address === undefined) {
    const [host, port] = LOCAL_TEMPORAL_ADDRESS.split(':');
    const local = withLocalUiCodec(config);
    config = local.config;
    const devServer = await startTemporalDevServer({
      dataDir: path.join(dataDir, 'temporal'),
      port: Number(port),
      uiPort: config.temporal.uiPort,
      ...(local.uiCodecEndpoint && { uiCodecEndpoint: local.uiCodecEndpoint }),
      namespace: config.temporal.namespace,
      logger,
    });
    stops.push(devServer.stop);
    config = { ...config, temporal: { ...config.temporal, address: `${host}:${port}` } };
    temporalUi = devServer.uiUrl ?? temporalUi;
  }

  const foundation = await prepareFoundation(config, logger, databaseUrl);
  stops.push(() => foundation.db.destroy());
  stops.push(() => foundation.temporal.connection.close());

  const connection = await connectWorkerConnection(config);
  const worker = await startWorker({ ...foundation, connection });
  stops.push(() => connection.close());
  stops.push(worker.shutdown);

  await ensureWebBuild(logger);
  const server = await listen(createApp(foundation), config.port);
  stops.push(server.close);

  process.stdout.write(
    [
      '',
      'ConnectProf account service is running',
      `  Panel:        ${server.url}/`,
      `  API:          ${server.url}/v1   (health: ${server.url}/readyz, reference: ${server.url}/docs)`,
      `  Temporal UI:  ${temporalUi}`,
      `  Mail:         ${config.mail.smtpUrl === undefined ? 'printed to this console' : 'sent over SMTP_URL'}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch(exitOnStartupFailure);
