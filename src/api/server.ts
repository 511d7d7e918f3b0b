import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { exitOnStartupFailure, onShutdownSignal, prepareFoundation, startupConfig } from '../processes';
import { createApp } from './app';

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting connections and waits for the requests in flight to finish. */
  close(): Promise<void>;
}

export async function listen(app: Express, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const server = app.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? 'localhost' : host;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets would hold close() open; requests in flight still finish.
        server.closeIdleConnections();
      }),
  };
}

/** `src/api/server.ts` run directly: one API process. */
async function runApiProcess(): Promise<void> {
  const { config, logger, databaseUrl } = startupConfig('api');
  const foundation = await prepareFoundation(config, logger, databaseUrl);
  const server = await listen(createApp(foundation), config.port);
  logger.info({ url: server.url }, 'API listening');
  onShutdownSignal(logger, async () => {
    await server.close();
    await foundation.temporal.connection.close();
    await foundation.db.destroy();
  });
}

if (require.main === module) {
  runApiProcess().catch(exitOnStartupFailure);
}
