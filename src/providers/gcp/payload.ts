// Turns an AccessSecretVersionResponse ({name, payload: {data, dataCrc32c}}) into a value: `data` is
// base64 (proto3 JSON bytes), `dataCrc32c` an int64 written as a JSON string (or number). When the
// checksum is present it must match the decoded bytes: a mismatch is Invalid, never a value.
import { Secret } from '../../log/secret.js';
import type { Fetched } from '../../resolve/types.js';
import { crc32c } from './crc32c.js';
import { GcpShapeError } from './errors.js';

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The value and version of one answer; throws GcpShapeError for anything that is not a sound payload. */
export function readPayload(body: Record<string, unknown>, asked: string): Fetched {
  const payload = body.payload as { data?: unknown; dataCrc32c?: unknown } | undefined;
  const answer = `Secret Manager's answer for ${asked}`;
  if (payload === null || typeof payload !== 'object') throw new GcpShapeError(`${answer} has no payload`);
  const data = payload.data ?? '';
  if (typeof data !== 'string' || !BASE64.test(data)) throw new GcpShapeError(`${answer} has no base64 payload.data`);
  const bytes = Buffer.from(data, 'base64');
  if (payload.dataCrc32c !== undefined && payload.dataCrc32c !== null) {
    const expected = Number(payload.dataCrc32c);
    if (!Number.isSafeInteger(expected) || expected < 0) throw new GcpShapeError(`${answer} has a bad dataCrc32c`);
    if (crc32c(bytes) !== expected) {
      const why = 'it was corrupted on the way; nothing was used';
      throw new GcpShapeError(`the payload of ${asked} fails its CRC32C check (payload.dataCrc32c): ${why}`);
    }
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GcpShapeError(`the payload of ${asked} is not UTF-8 text (environment values are text)`);
  }
  const name = typeof body.name === 'string' ? body.name : '';
  const version = /\/versions\/([^/]+)$/.exec(name)?.[1];
  return { value: new Secret(text), version };
}
