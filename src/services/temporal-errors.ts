import { status as grpcStatus } from '@grpc/grpc-js';
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/**
 * True when a workflow refused an Update with an ApplicationFailure of this `type` (a
 * validator's or handler's deliberate answer, defined in src/shared). Never read from the text.
 */
export function isRejectedBy(error: unknown, type: string): boolean {
  return (
    error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === type
  );
}

// The gRPC outcomes of a frontend that is down, overloaded or past our deadline. CANCELLED is
// what our own deadline signal produces when it aborts a call.
const TEMPORAL_DOWN_STATUSES = new Set<number>([
  grpcStatus.UNAVAILABLE,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.CANCELLED,
  grpcStatus.RESOURCE_EXHAUSTED,
]);

/**
 * True when a Temporal client error says the service could not be reached in time, told by the
 * client's error classes and the gRPC status they carry, never by message text.
 */
export function isTemporalUnavailable(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcServiceError(error)) return TEMPORAL_DOWN_STATUSES.has(error.code);
  if (error instanceof ServiceError) return error.cause !== undefined && isTemporalUnavailable(error.cause);
  return false;
}
