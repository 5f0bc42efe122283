// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum Secret Manager stores with every
// version and returns as `payload.dataCrc32c` (RFC 3720 appendix B.4 gives the same polynomial).
// node:zlib's crc32 is the IEEE polynomial, so it cannot be used here.
let table: Uint32Array | undefined;

function buildTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** The CRC32C of `bytes` as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array): number {
  table ??= buildTable();
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
