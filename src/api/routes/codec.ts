import { timingSafeEqual } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { type Request, type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { EncryptionCodec } from '../../temporal/codec';
import { DomainError } from '../../domain/errors';
import { parse } from '../validation';

// The Temporal UI's remote codec protocol: JSON payloads with base64 metadata and data.
const jsonPayload = z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() });
export const codecBody = z.object({ payloads: z.array(jsonPayload).max(1000) });

const fromJson = (payload: z.output<typeof jsonPayload>): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  ),
  data: Buffer.from(payload.data ?? '', 'base64'),
});
const toJson = (payload: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function presentsToken(req: Request, token: string | undefined): boolean {
  if (token === undefined) return false;
  const presented = Buffer.from(/^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/**
 * Lets an operator read encrypted workflow payloads in the Temporal Web UI ("Codec Server"
 * setting, pointing at <API>/codec). Only with CODEC_AUTH_TOKEN set, and only for callers who
 * present it: decrypting history is as sensitive as the data in it. The one exception is the
 * dev server that `npm start` runs: its Web UI (and only from this machine) decodes without a
 * token, as the UI has no way to send one; nothing in production configuration can turn that on.
 */
export function codecRoutes(config: Config): Router {
  const router = Router();
  const { authToken: token, localUiOrigins } = config.codec;
  if (token === undefined && localUiOrigins.length === 0) return router;
  const codec = new EncryptionCodec(config.codec.keys, config.codec.currentKeyId);

  const fromLocalUi = (req: Request) =>
    localUiOrigins.includes(req.get('origin') ?? '') && LOOPBACK.has(req.socket.remoteAddress ?? '');
  const operatorOnly: RequestHandler = (req, _res, next) => {
    if (!presentsToken(req, token) && !fromLocalUi(req)) {
      throw new DomainError('unauthenticated', 'The codec endpoint needs the operator token');
    }
    next();
  };

  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/codec/${direction}`, operatorOnly, async (req, res) => {
      const { payloads } = parse(codecBody, req.body);
      const converted = await codec[direction](payloads.map(fromJson));
      res.json({ payloads: converted.map(toJson) });
    });
  }
  return router;
}
