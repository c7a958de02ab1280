// RFC 6238 appendix B test vectors (SHA-1 seed "12345678901234567890"), 8 digits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hotp, base32Decode, totp } from './totp.mjs';

test('TOTP matches the RFC 6238 SHA-1 vectors', () => {
  const key = Buffer.from('12345678901234567890');
  const vectors = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1234567890, '89005924'],
    [20000000000, '65353130'],
  ];
  for (const [seconds, expected] of vectors) {
    assert.equal(hotp(key, Math.floor(seconds / 30), 8), expected);
  }
});

test('base32 secrets decode', () => {
  assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), Buffer.from('12345678901234567890'));
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000, { digits: 8 }), '94287082');
});
