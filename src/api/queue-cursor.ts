import { z } from 'zod';
import type { QueuePosition } from '../db/repositories/support-requests';

// The support queue's cursor is opaque to clients: base64url of the last row's place in the
// queue. It is parsed here, at the edge, so a garbled or forged cursor is a 400 with a field
// error and never reaches PostgreSQL as a value it cannot cast.

const position = z.tuple([z.iso.datetime({ precision: 6 }), z.uuid()]);

export const queueCursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from a previous page')
  .transform((value, ctx): QueuePosition => {
    const parsed = position.safeParse(decodeJson(value));
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a cursor from a previous page',
        params: { code: 'invalid_cursor' },
      });
      return z.NEVER;
    }
    const [createdAt, id] = parsed.data;
    return { createdAt, id };
  });

export function encodeQueueCursor(position: QueuePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

function decodeJson(base64url: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
