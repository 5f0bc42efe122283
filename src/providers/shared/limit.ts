// A cap on the requests one provider has in flight at once. Hundreds of references would otherwise
// open hundreds of connections at the same instant, which a store with a rate-limit quota answers with
// 429s (and a small server with refused connections). Each provider makes one per run.

/**
 * How many requests a provider sends at the same time, unless it says otherwise: the AWS SDK's own socket
 * pool (50), so that the references of a typical program go out in one round (with 16, 50 references at
 * 50 ms took four rounds: ≈ 445 ms against ≈ 290 ms), while hundreds still queue.
 */
export const DEFAULT_CONCURRENCY = 50;

/** Runs `work` when fewer than `max` others run; resolves or rejects as `work` does. */
export type Limit = <T>(work: () => Promise<T>) => Promise<T>;

export function createLimit(max: number = DEFAULT_CONCURRENCY): Limit {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  return async (work) => {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      release();
    }
  };
}

/**
 * Milliseconds a `Retry-After` header asks for (seconds, or an HTTP date), or undefined when there is
 * none or it cannot be read.
 */
export function retryAfterMs(
  header: string | readonly string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
