import { type Connection, isGrpcServiceError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { status as grpcStatus } from '@grpc/grpc-js';
import { SEARCH_ATTRIBUTE_NAMES } from '../shared/temporal';

/**
 * Registers the custom search attributes in the namespace. Every process does this at start-up;
 * an attribute that already exists is fine.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const missing = await missingAttributes(connection, namespace);
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
  } catch (error) {
    // Another process registered them between our list and our add.
    if (isGrpcServiceError(error) && error.code === grpcStatus.ALREADY_EXISTS) return;
    throw error;
  }
}

async function missingAttributes(connection: Connection, namespace: string): Promise<string[]> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return SEARCH_ATTRIBUTE_NAMES.filter((name) => !(name in (customAttributes ?? {})));
  } catch (error) {
    // The time-skipping test server can add attributes but not list them.
    if (isGrpcServiceError(error) && error.code === grpcStatus.UNIMPLEMENTED) return SEARCH_ATTRIBUTE_NAMES;
    throw error;
  }
}
