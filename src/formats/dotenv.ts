// The dotenv subset secrets-exec reads (for --env-file and dotenv local stores), as docker and
// dotenv-style tools write it: `KEY=VALUE`, an optional `export ` prefix, `#` comments, blank lines,
// 'single-quoted' values taken literally and "double-quoted" values with \n \r \t \" \\ escapes.
// Unquoted values are trimmed and end at ` #`. A value spans one line.

interface DotenvEntry {
  readonly name: string;
  readonly value: string;
  readonly line: number;
  /** Where the name starts on its line (1-based). */
  readonly column: number;
}

/** A dotenv line that cannot be read; the message never repeats the value. */
export class DotenvSyntaxError extends Error {
  override name = 'DotenvSyntaxError';
  constructor(
    readonly line: number,
    readonly reason: string,
    /** Where on the line the problem starts (1-based), for the local store's "line L, column C". */
    readonly column = 1,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Parses a dotenv document; throws DotenvSyntaxError naming the line. */
export function parseDotenv(text: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed;
    // Columns are counted in the raw line: where the body, and then the value, start.
    const bodyColumn = raw.length - raw.trimStart().length + (trimmed.length - body.length) + 1;
    const eq = body.indexOf('=');
    if (eq === -1) throw new DotenvSyntaxError(line, "expected NAME=VALUE (no '=' found)", bodyColumn);
    const name = body.slice(0, eq).trim();
    // Not quoted: a line that is not NAME=VALUE may be a pasted secret (`DB_PASSWORD: p@ss=word`).
    if (!NAME.test(name)) {
      const why = "the text before '=' is not a variable name ([A-Za-z_][A-Za-z0-9_.-]*)";
      throw new DotenvSyntaxError(line, why, bodyColumn);
    }
    const rest = body.slice(eq + 1);
    const valueColumn = bodyColumn + eq + 1 + (rest.length - rest.trimStart().length);
    entries.push({ name, value: parseValue(rest.trim(), line, valueColumn), line, column: bodyColumn });
  });
  return entries;
}

function parseValue(text: string, line: number, column: number): string {
  const quote = text[0];
  if (quote !== "'" && quote !== '"') {
    const comment = text.search(/\s#/);
    return (comment === -1 ? text : text.slice(0, comment)).trim();
  }
  const end = findClosingQuote(text, quote);
  if (end === -1) {
    const why = `unterminated ${quote === '"' ? 'double' : 'single'}-quoted value`;
    throw new DotenvSyntaxError(line, why, column);
  }
  const after = text.slice(end + 1).trim();
  if (after !== '' && !after.startsWith('#'))
    throw new DotenvSyntaxError(line, 'text after the closing quote', column + end + 1);
  const inner = text.slice(1, end);
  return quote === "'" ? inner : inner.replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m);
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
