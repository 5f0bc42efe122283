// One HTTP exchange with a metadata service, bounded by an AbortSignal: when the detection budget runs
// out the socket is destroyed at once, so nothing keeps the process waiting (a silent 169.254.169.254
// drops packets and would otherwise hold the socket for the kernel's connect timeout).
import { flattenHeaders, readCappedBody } from '../providers/shared/http.js';
import type { ProbeAnswer } from '../resolve/platform.js';

/** Bodies larger than this are not read further (an OCI instance document with user data is ~40 KB). */
const MAX_BODY_BYTES = 256 * 1024;

interface MetadataRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  readonly signal: AbortSignal;
}

/** Sends one request and resolves with the answer; rejects with the socket error or the abort. */
export async function sendMetadataRequest(input: MetadataRequest): Promise<ProbeAnswer> {
  const { url, method, headers, body, signal } = input;
  // Loaded here, not at start: node:http brings net and stream, which a run without probes never needs.
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
    // agent: false — no keep-alive pool: the socket is closed with the exchange.
    const req = request(url, { method, headers: { ...headers, ...length }, signal, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      readCappedBody(res, MAX_BODY_BYTES).then(
        (text) =>
          resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: text.toString('utf8') }),
        (error: unknown) => reject(signal.aborted ? signal.reason : error),
      );
    });
    req.end(body);
  });
}
