import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';
import { dataConverterFor } from './codec';
import { registerSearchAttributes } from './search-attributes';

// The local dev server's default frontend port, used when TEMPORAL_ADDRESS is unset.
export const LOCAL_TEMPORAL_ADDRESS = '127.0.0.1:7233';

export function temporalAddress(config: Config): string {
  return config.temporal.address ?? LOCAL_TEMPORAL_ADDRESS;
}

/** Connects a client, registering the project's search attributes on the way (idempotent). */
export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: temporalAddress(config) });
  await registerSearchAttributes(connection, config.temporal.namespace);
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverterFor(config) });
}

export function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporalAddress(config) });
}
