import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadingZeroBits, sha256, solveProofOfWork } from './proofOfWork';

const hex = (words: Uint32Array) => [...words].map((w) => w.toString(16).padStart(8, '0')).join('');

describe('proof of work (issue8_06_throttle_proof_of_work)', () => {
  it('computes SHA-256 like node:crypto, across block boundaries', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'x'.repeat(200), 'ümlaut ✓']) {
      const bytes = new TextEncoder().encode(text);
      expect(hex(sha256(bytes))).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
  it('finds a nonce with the asked number of zero bits', async () => {
    const challenge = 'v1.123.10.abc.def';
    const nonce = await solveProofOfWork(challenge, 10);
    const digest = createHash('sha256').update(`${challenge}:${nonce}`).digest();
    const words = new Uint32Array(8);
    for (let i = 0; i < 8; i += 1) words[i] = digest.readUInt32BE(i * 4);
    expect(leadingZeroBits(words)).toBeGreaterThanOrEqual(10);
  });
});
