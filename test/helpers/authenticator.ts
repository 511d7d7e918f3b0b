import { createHmac } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

// What a phone does with the enrolment QR code, written apart from the server's own helpers
// (RFC 4648 base32, RFC 4226 HOTP, RFC 6238 TOTP), so a shared bug cannot hide.

/** Reads a `data:image/png;base64,…` QR code the way a camera would. */
export function scanQrCode(dataUrl: string): string {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  if (!match) throw new Error('not a PNG data URL');
  const png = PNG.sync.read(Buffer.from(match[1]!, 'base64'));
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!decoded) throw new Error('no QR code in the image');
  return decoded.data;
}

function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of input.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((byte) => parseInt(byte, 2)));
}

export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', key).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** An authenticator app holding one account. */
export class Authenticator {
  readonly secret: string;
  readonly issuer: string;
  readonly label: string;

  constructor(otpauthUri: string) {
    const url = new URL(otpauthUri);
    if (url.protocol !== 'otpauth:' || url.host !== 'totp') throw new Error(`not a TOTP URI: ${otpauthUri}`);
    this.secret = url.searchParams.get('secret') ?? '';
    this.issuer = url.searchParams.get('issuer') ?? '';
    this.label = decodeURIComponent(url.pathname.slice(1));
  }

  /** The code shown `stepsAhead` 30-second steps from now. */
  code(stepsAhead = 0, now = Date.now()): string {
    return hotp(base32Decode(this.secret), Math.floor(now / 1000 / 30) + stepsAhead);
  }
}
