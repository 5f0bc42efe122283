// Node's fetch with a cap on every answer's body, for a vendor library that sends its own requests with the
// global fetch (OCI's federation client): fetch reads whatever comes, so a wrong endpoint or a hostile server
// could otherwise make secrets-exec buffer without bound. MAX_FETCHED_BODY and isBodyTooLarge also serve
// Google's auth library, which sends through http-fetch.ts.
import { BodyTooLargeError } from './network-errors.js';

/** Far above a token or federation answer (a few KiB, an identity token or a certificate chain included). */
export const MAX_FETCHED_BODY = 1024 * 1024;

// Statuses whose Response may not have a body.
const NULL_BODY = new Set([101, 204, 205, 304]);

/** `inner` (Node's fetch), with the body of every answer cut off by BodyTooLargeError past `maxBytes`. */
export function cappedFetch(maxBytes: number = MAX_FETCHED_BODY, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (!res.body || NULL_BODY.has(res.status)) return res;
    let size = 0;
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size > maxBytes) controller.error(new BodyTooLargeError(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

// Marks the global fetch once capped: each provider chunk has its own copy of this module.
const CAPPED = Symbol.for('secrets-exec.capped-fetch');

/**
 * Caps the process-wide fetch, for a library that calls the global one at request time (OCI's federation
 * client). secrets-exec is the only code in this process, and it ends in exec.
 */
export function capGlobalFetch(maxBytes: number = MAX_FETCHED_BODY): void {
  const current = globalThis.fetch as typeof fetch & { [CAPPED]?: true };
  if (current[CAPPED]) return;
  globalThis.fetch = Object.assign(cappedFetch(maxBytes, current), { [CAPPED]: true as const });
}

/** True when the failure, or what it wraps, is a body past the cap. */
export function isBodyTooLarge(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++)
    if (e instanceof BodyTooLargeError) return true;
  return false;
}
