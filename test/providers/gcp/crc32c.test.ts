import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../src/providers/gcp/crc32c.js';

describe('crc32c', () => {
  it.each([
    ['', 0],
    ['123456789', 0xe3069283], // the check value of CRC-32C (Castagnoli)
    ['hello', 0x9a71bb4c],
  ])('of %j is the Castagnoli checksum', (text, expected) => {
    expect(crc32c(Buffer.from(text))).toBe(expected);
  });

  it('of 32 zero bytes matches RFC 3720 B.4', () => {
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
  });
});
