import { describe, expect, it } from 'vitest';
import { isForwardOrSame, SUPPORT_REQUEST_STATUSES } from '../../src/domain/support-request-status';

describe('the support request status machine', () => {
  it('when a move goes forward or stays, then it is allowed; when it goes back, then it is not', () => {
    const allowed = SUPPORT_REQUEST_STATUSES.flatMap((from) =>
      SUPPORT_REQUEST_STATUSES.filter((to) => isForwardOrSame(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'open→open',
      'open→in_progress',
      'open→resolved',
      'in_progress→in_progress',
      'in_progress→resolved',
      'resolved→resolved',
    ]);
  });
});
