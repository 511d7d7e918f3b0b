import type { Account } from '../db/database';
import { accountClosureStatusQuery, type AccountClosureState } from '../shared/account-closure';
import { accountClosureWorkflowId } from '../shared/workflow-ids';
import type { ServiceDeps } from './deps';
import { WorkflowNotFoundError } from '@temporalio/client';

/** What a support agent needs to reach a merchant: contact details, never a secret. */
export interface MerchantContact {
  id: string;
  email: string;
  fullName: string | null;
  tradeName: string | null;
  phone: string | null;
  country: string | null;
  city: string | null;
  status: 'active' | 'closed';
  createdAt: string;
}

export interface OpenClosure {
  state: AccountClosureState;
  purgeAt: string;
  holds: string[];
}

export type MerchantSummary = MerchantContact & { closure?: OpenClosure };

export type ContactColumns = Pick<
  Account,
  'id' | 'email' | 'full_name' | 'trade_name' | 'phone' | 'country' | 'city' | 'status' | 'created_at'
>;

export function merchantContact(account: ContactColumns): MerchantContact {
  return {
    id: account.id,
    email: account.email,
    fullName: account.full_name,
    tradeName: account.trade_name,
    phone: account.phone,
    country: account.country,
    city: account.city,
    status: account.status,
    createdAt: account.created_at.toISOString(),
  };
}

export async function merchantSummary(deps: ServiceDeps, account: ContactColumns): Promise<MerchantSummary> {
  const closure = await openClosureOf(deps, account.id);
  return { ...merchantContact(account), ...(closure && { closure }) };
}

// A desk lookup waits this long for Temporal, then answers 503: an agent retries a lookup, but
// must not be left hanging on a server that does not answer.
const TEMPORAL_DEADLINE_MS = 5_000;

/**
 * The closure flow's state while it runs; undefined when the account never closed or its flow has
 * ended (reactivated). The flow is the source of truth for the state and the holds. Only "not
 * found" means no closure: an unreachable Temporal is an error (503), never read as "none".
 */
export async function openClosureOf(deps: ServiceDeps, accountId: string): Promise<OpenClosure | undefined> {
  const handle = deps.temporal.workflow.getHandle(accountClosureWorkflowId(accountId));
  const deadline = () => Date.now() + TEMPORAL_DEADLINE_MS;
  try {
    // Describe first: an ended flow is answered by the server alone, without replaying it on a worker.
    const description = await deps.temporal.connection.withDeadline(deadline(), () => handle.describe());
    if (description.status.name !== 'RUNNING') return undefined;
    const status = await deps.temporal.connection.withDeadline(deadline(), () =>
      handle.query(accountClosureStatusQuery),
    );
    return { state: status.state, purgeAt: new Date(status.purgeAt).toISOString(), holds: status.holds };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}
