// What is wrong with a document of named values (the local store, decrypted Ansible Vault content), with
// where: every format says "line L, column C" the same way, and no message quotes the content (a value is
// a secret; only a key, which is a name, is quoted).

/** A document that cannot be read; the message names the place and never a value. */
export class DocumentError extends Error {
  override name = 'DocumentError';
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The 1-based line and column of a character offset (lines end at \n; \r\n counts as one end). */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: offset - lineStart + 1 };
}

/** ` (line L, column C)`, or '' when the place is not known. */
export function describePosition(position: Position | undefined): string {
  return position === undefined ? '' : ` (line ${position.line}, column ${position.column})`;
}

/** The one duplicate-key message of every format. */
export function duplicateKey(key: string, at: Position): DocumentError {
  const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
  return new DocumentError(`duplicate key '${shown}'${describePosition(at)}: each key may appear once`);
}
