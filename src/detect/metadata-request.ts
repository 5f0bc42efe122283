// One HTTP exchange with a metadata service, bounded by an AbortSignal: when the detection budget runs
// out the socket is destroyed at once, so nothing keeps the process waiting (a silent 169.254.169.254
// drops packets and would otherwise hold the socket for the kernel's connect timeout).
import type { ProbeAnswer } from '../providers/platforms.js';

/** Bodies larger than this are not read further (an OCI instance document with user data is ~40 KB). */
const MAX_BODY_BYTES = 256 * 1024;

export interface MetadataRequest {
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
    // agent: false — no keep-alive pool: the socket is closed with the exchange.
    const req = request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) }, signal, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        else res.destroy();
      });
      res.on('error', reject);
      res.on('close', () => {
        const answer = { status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') };
        if (size > MAX_BODY_BYTES) reject(new Error('answer too large'));
        else if (res.complete) resolve(answer);
        else reject(signal.aborted ? signal.reason : new Error('answer cut short'));
      });
    });
    req.end(body);
  });
}

function flattenHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
