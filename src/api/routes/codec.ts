import { timingSafeEqual } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import { EncryptionCodec } from '../../temporal/codec';
import { DomainError } from '../../domain/errors';
import { parse } from '../validation';

// The Temporal UI's remote codec protocol: JSON payloads with base64 metadata and data.
const jsonPayload = z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() });
export const codecBody = z.object({ payloads: z.array(jsonPayload).max(1000) });

const fromJson = (payload: z.output<typeof jsonPayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
  data: Buffer.from(payload.data ?? '', 'base64'),
});
const toJson = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

/**
 * Lets an operator read encrypted workflow payloads in the Temporal Web UI ("Codec Server"
 * setting, pointing at <API>/codec). Only with CODEC_AUTH_TOKEN set, and only for callers who
 * present it: decrypting history is as sensitive as the data in it.
 */
export function codecRoutes(config: Config): Router {
  const router = Router();
  const token = config.codec.authToken;
  if (token === undefined) return router;
  const codec = new EncryptionCodec(config.codec.keys, config.codec.currentKeyId);

  const operatorOnly: RequestHandler = (req, _res, next) => {
    const presented = Buffer.from(/^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
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
