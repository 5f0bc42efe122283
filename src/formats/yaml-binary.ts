// YAML's `!!binary` (base64 bytes) in a document of environment values. An environment value is text: the
// bytes are handed on when they are UTF-8 text without NUL (a base64-wrapped PEM file, say), and are an
// error otherwise, naming the key and place — never silently mangled (the YAML library gives a Uint8Array,
// which became a map of byte indexes) and never re-encoded to something the author did not write.
import { DocumentError, describePosition, type Position } from './document-error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text the bytes of a `!!binary` value spell, or a DocumentError saying why they cannot be a value. */
export function binaryText(bytes: Uint8Array, key: string | undefined, at: Position | undefined): string {
  const which = `${key === undefined ? 'a !!binary value' : `the !!binary value of '${key}'`}${describePosition(at)}`;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new DocumentError(
      `${which} is not UTF-8 text, and an environment variable holds text (keep it base64, as a plain string)`,
    );
  }
  if (text.includes('\0')) {
    throw new DocumentError(`${which} holds a NUL byte, which no environment variable can hold`);
  }
  return text;
}
