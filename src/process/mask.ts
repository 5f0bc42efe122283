// --mask (docs/rotation.md): the program's output with every resolved value, and its common encodings,
// replaced by [redacted]. It works on bytes, across write boundaries: what is passed on is everything but
// the longest tail that could still begin a value; that tail waits for the next bytes (or the end). So a
// value split over two writes is found, and memory stays bounded by the longest pattern whatever the
// program writes. Values shorter than MIN_MASKED_LENGTH are not masked: they would redact ordinary words
// and numbers of the output (a port, `true`) and hide nothing an observer could not guess.

export const MIN_MASKED_LENGTH = 6;
const REDACTED = Buffer.from('[redacted]');

/** The byte patterns of `values` (as written, base64, base64url, URL-encoded, JSON-escaped), longest first. */
export function maskPatterns(values: Iterable<string>): Buffer[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_MASKED_LENGTH) continue;
    const base64 = Buffer.from(value).toString('base64');
    forms.add(value);
    forms.add(base64);
    forms.add(base64.replace(/=+$/, ''));
    forms.add(Buffer.from(value).toString('base64url'));
    forms.add(encodeURIComponent(value));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  return [...forms]
    .filter((f) => f.length >= MIN_MASKED_LENGTH)
    .map((f) => Buffer.from(f))
    .sort((a, b) => b.length - a.length);
}

export interface Masker {
  /** The bytes that can be passed on now. */
  push(chunk: Buffer): Buffer;
  /** What was held back, masked, at the end of the stream. */
  end(): Buffer;
}

/** A masker for one output stream. */
export function createMasker(patterns: readonly Buffer[]): Masker {
  const firstBytes = new Set(patterns.map((p) => p[0]));
  let held: Buffer = Buffer.alloc(0);

  const mask = (buf: Buffer, upTo: number): { out: Buffer; cut: number } => {
    // Every occurrence of every pattern, merged into intervals.
    const found: Array<[number, number]> = [];
    for (const p of patterns) {
      for (let at = buf.indexOf(p); at !== -1; at = buf.indexOf(p, at + 1)) found.push([at, at + p.length]);
    }
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged: Array<[number, number]> = [];
    for (const [s, e] of found) {
      const last = merged.at(-1);
      if (last && s < last[1]) last[1] = Math.max(last[1], e);
      else merged.push([s, e]);
    }
    // A match that reaches past the cut is held whole: it is found again with the next bytes.
    let cut = upTo;
    for (const [s, e] of merged) if (s < cut && e > cut) cut = s;
    const parts: Buffer[] = [];
    let from = 0;
    for (const [s, e] of merged) {
      if (e > cut) break;
      parts.push(buf.subarray(from, s), REDACTED);
      from = e;
    }
    parts.push(buf.subarray(from, cut));
    return { out: Buffer.concat(parts), cut };
  };

  // The longest tail of `buf` that is the beginning of some pattern (and so may still become one).
  const pendingTail = (buf: Buffer): number => {
    const longest = Math.min(buf.length, (patterns[0]?.length ?? 1) - 1);
    for (let k = longest; k > 0; k--) {
      const at = buf.length - k;
      if (!firstBytes.has(buf[at])) continue;
      if (patterns.some((p) => p.length > k && p.subarray(0, k).equals(buf.subarray(at)))) return k;
    }
    return 0;
  };

  return {
    push(chunk) {
      if (patterns.length === 0) return chunk;
      const buf = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
      const { out, cut } = mask(buf, buf.length - pendingTail(buf));
      held = Buffer.from(buf.subarray(cut));
      return out;
    },
    end() {
      const { out } = mask(held, held.length);
      held = Buffer.alloc(0);
      return out;
    },
  };
}
