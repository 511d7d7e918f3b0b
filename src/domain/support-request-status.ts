// A support request only moves forward: an agent takes it (`in_progress`), then resolves it.
// Resolving straight from `open` is a forward move too (a question answered in one reply).
// Staying in the same status is not a move: that is how an agent replies without moving it.

export const SUPPORT_REQUEST_STATUSES = ['open', 'in_progress', 'resolved'] as const;
export type SupportRequestStatus = (typeof SUPPORT_REQUEST_STATUSES)[number];

const RANK: Record<SupportRequestStatus, number> = { open: 0, in_progress: 1, resolved: 2 };

/** True unless `to` would take the request back to an earlier status. */
export function isForwardOrSame(from: SupportRequestStatus, to: SupportRequestStatus): boolean {
  return RANK[to] >= RANK[from];
}
