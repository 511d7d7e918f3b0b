import { type Interceptor, InterceptingCall } from '@grpc/grpc-js';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type TLSConfig,
} from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';
import { dataConverterFor } from './codec';
import { registerSearchAttributes } from './search-attributes';

// The local dev server's default frontend port, used when TEMPORAL_ADDRESS is unset.
export const LOCAL_TEMPORAL_ADDRESS = '127.0.0.1:7233';

export function temporalAddress(config: Config): string {
  return config.temporal.address ?? LOCAL_TEMPORAL_ADDRESS;
}

/** Start-up could not reach the Temporal frontend; the message says with what settings. */
export class TemporalConnectionError extends Error {
  override name = 'TemporalConnectionError';
}

/**
 * What client and worker connect with, as Temporal's docs set it for Temporal Cloud and for
 * self-hosted clusters behind mTLS: the server's CA (or the system's), the client certificate
 * pair, and an API key sent as a bearer token.
 */
function connectionOptions(config: Config): { address: string; tls?: TLSConfig; apiKey?: string } {
  const { tls, apiKey } = config.temporal;
  return {
    address: temporalAddress(config),
    ...(tls && {
      tls: {
        ...(tls.ca && { serverRootCACertificate: tls.ca.pem }),
        ...(tls.client && { clientCertPair: { crt: tls.client.cert, key: tls.client.key } }),
        ...(tls.serverName && { serverNameOverride: tls.serverName }),
      },
    }),
    ...(apiKey && { apiKey }),
  };
}

/** Connects with `connect`, turning a failure into an error that names the address and the TLS settings to check. */
async function reach<T>(config: Config, connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (error) {
    const { tls, apiKey } = config.temporal;
    const settings = [
      tls ? 'over TLS' : 'in plaintext (no TEMPORAL_TLS_* set)',
      tls?.ca && `trusting the CA in TEMPORAL_TLS_CA=${tls.ca.path}`,
      tls?.client && `presenting the client certificate TEMPORAL_TLS_CERT=${tls.client.certPath}`,
      apiKey && 'with TEMPORAL_API_KEY',
    ].filter(Boolean);
    const hint = tls
      ? "check that TEMPORAL_TLS_CA signed the frontend's certificate (or TEMPORAL_TLS_SERVER_NAME matches it) and that the frontend accepts the client certificate"
      : 'check TEMPORAL_ADDRESS, and set TEMPORAL_TLS_CA / TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY or TEMPORAL_API_KEY if the cluster is secured';
    throw new TemporalConnectionError(
      `Cannot connect to Temporal at ${temporalAddress(config)} ${settings.join(', ')}: ${(error as Error).message}. ${hint[0]!.toUpperCase()}${hint.slice(1)}.`,
      { cause: error },
    );
  }
}

/**
 * Gives every gRPC call that has no earlier deadline one `timeoutMs` from now. Placed before the
 * SDK's retry interceptor, so the deadline is absolute across its retries: an unreachable or
 * frozen frontend costs a request at most about `timeoutMs`, never the SDK's ten retries, and a
 * call added tomorrow cannot forget its deadline. The API answers 503 when it passes.
 */
export function callDeadlineInterceptor(timeoutMs: number): Interceptor {
  return (options, nextCall) => {
    const own = Date.now() + timeoutMs;
    const given = options.deadline === undefined ? undefined : new Date(options.deadline).getTime();
    return new InterceptingCall(
      nextCall({ ...options, deadline: given === undefined || Number.isNaN(given) ? own : Math.min(given, own) }),
    );
  };
}

/** The service's connection to Temporal: every call bounded by TEMPORAL_CALL_TIMEOUT. */
export function connectServiceConnection(config: Config, address = temporalAddress(config)): Promise<Connection> {
  return Connection.connect({
    ...connectionOptions(config),
    address,
    interceptors: [
      callDeadlineInterceptor(config.temporal.callTimeoutMs),
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions()),
    ],
  });
}

export function serviceClient(config: Config, connection: Connection): Client {
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config) });
}

/** Connects the service's client, registering the project's search attributes on the way (idempotent). */
export async function connectClient(config: Config): Promise<Client> {
  return reach(config, async () => {
    const connection = await connectServiceConnection(config);
    try {
      await registerSearchAttributes(connection, config.temporal.namespace);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return serviceClient(config, connection);
  });
}

export function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return reach(config, () => NativeConnection.connect(connectionOptions(config)));
}
