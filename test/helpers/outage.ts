import { expect } from 'vitest';
import type { HttpResponse } from './http';

// The Temporal call deadline the outage tests configure (TEMPORAL_CALL_TIMEOUT).
export const CALL_TIMEOUT_MS = 1_000;
// The deadline, plus the time an answer takes on a busy 2-core machine; far below the 40 s and
// more that a call without a deadline hangs for.
export const ANSWER_BOUND_MS = CALL_TIMEOUT_MS + 4_000;

/** Runs `request` between `stop` and `resume` (of Temporal); returns the answer and how long it took. */
export async function timedDuring(
  outage: { stop: () => void; resume: () => void },
  request: () => Promise<HttpResponse>,
): Promise<{ response: HttpResponse; tookMs: number }> {
  outage.stop();
  const started = Date.now();
  try {
    const response = await request();
    return { response, tookMs: Date.now() - started };
  } finally {
    outage.resume();
  }
}

/** 503 problem+json with Retry-After, answered within the deadline's bound. */
export function expectUnavailable({ response, tookMs }: { response: HttpResponse; tookMs: number }): void {
  expect(tookMs).toBeLessThan(ANSWER_BOUND_MS);
  expect(response.status).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(response.body.code).toBe('service_unavailable');
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
}
