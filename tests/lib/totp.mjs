/** RFC 6238 TOTP (SHA-1, 30-second steps, 6 digits) for tests, with node's crypto only. */
import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes RFC 4648 base32 (case-insensitive, spaces and padding ignored). */
export function base32Decode(text) {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** HOTP (RFC 4226) for a counter. */
export function hotp(key, counter, digits = 6) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', key).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

/** The TOTP code of a base32 secret at a time (milliseconds since the epoch). */
export function totp(secret, atMs = Date.now(), { step = 30, digits = 6 } = {}) {
  return hotp(base32Decode(secret), Math.floor(atMs / 1000 / step), digits);
}

/**
 * A code that the server accepts now and has not seen yet, without waiting on the wall clock: the
 * code of the NEXT 30-second step. The server accepts one step of drift either way, so this code is
 * valid from now until the end of the next step (30 to 60 seconds), and it is later than a code of
 * the current step that may have been used for enrolment (codes are single-use per step).
 */
export function freshTotp(secret, atMs = Date.now()) {
  return totp(secret, atMs + 30_000);
}
