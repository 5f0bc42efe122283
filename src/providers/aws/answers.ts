// Reading members of an AWS JSON answer without trusting its shape: a member of the wrong type counts as
// absent (the callers then say what is missing), never as a crash.
import { isStrictBase64 } from '../shared/base64.js';

type Entry = Readonly<Record<string, unknown>>;

/** The objects of a list member; none when it is not a list. */
export function recordsOf(value: unknown): Entry[] {
  return Array.isArray(value) ? value.filter((v): v is Entry => v !== null && typeof v === 'object') : [];
}

/** The strings of a list member; none when it is not a list. */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A string member, or undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The bytes of a base64 blob member, or undefined when it is not base64 text. */
export function base64Bytes(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !isStrictBase64(value)) return undefined;
  return Buffer.from(value, 'base64');
}
