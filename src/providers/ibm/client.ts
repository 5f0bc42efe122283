// The Secrets Manager v2 GETs, over node:http(s) with one keep-alive agent per run; the Authorization header
// comes from ibm-cloud-sdk-core's authenticator (which obtains, caches and refreshes the IAM token).
//   GET /api/v2/secrets/{id}                                                        a secret with its payload
//   GET /api/v2/secrets/{secret_id}/versions/{id}                                   a version (id, current, previous)
//   GET /api/v2/secrets/{id}/metadata                                               a secret's metadata (labels)
//   GET /api/v2/secret_groups/{secret_group_name}/secret_types/{secret_type}/secrets/{name}   by name
// Not the core's BaseService: measured in-process, its axios path cost ≈ 1 ms of CPU more per request
// (50 parallel reads: ≈ 118 ms against ≈ 33 ms here), for four fixed GET paths. Failures are thrown in the
// core's error shape (status, message, result; statusText for a network code) so one classification
// serves token and API errors. Never retries: transient failures are retried centrally.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AuthenticatorInterface } from 'ibm-cloud-sdk-core';
import { IbmShapeError } from './errors.js';
import { parseExactJson } from '../../formats/exact-json.js';
import { createLimit } from '../shared/limit.js';
import type { ProxyEnv } from '../shared/egress.js';
import { asUntrusted } from '../shared/egress-errors.js';

export interface SecretsManagerClient {
  /** GETs one API path (`{name}` placeholders filled from `params`, %-encoded); resolves with the JSON object. */
  get(url: string, params: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Record<string, unknown>>;
  close(): void;
}

/** A failed request, in the fields ibm-cloud-sdk-core gives its own errors. */
export class IbmHttpError extends Error {
  override name = 'IbmHttpError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly result?: unknown,
    readonly statusText?: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 4 * 1024 * 1024;

export interface ClientOptions {
  readonly serviceUrl: string;
  readonly disableSsl: boolean;
  readonly authenticator: AuthenticatorInterface;
  /** The run's proxy settings (docs/network.md), when a proxy variable is set. */
  readonly proxyEnv?: ProxyEnv | undefined;
}

/** Makes the client of one run; `close` destroys its keep-alive connections. */
export function createClient(options: ClientOptions): SecretsManagerClient {
  const base = new URL(options.serviceUrl);
  const secure = base.protocol === 'https:';
  const proxy = options.proxyEnv === undefined ? {} : { proxyEnv: { ...options.proxyEnv } };
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: !options.disableSsl, ...proxy })
    : new HttpAgent({ keepAlive: true, ...proxy });
  const send = secure ? httpsRequest : httpRequest;
  // The run's requests in flight at once (an instance's rate limit counts them all).
  const limit = createLimit();
  const prefix = base.pathname.replace(/\/$/, '');
  const hostname = base.hostname.replace(/^\[|\]$/g, '');

  type Answer = { status: number; text: string };
  const exchange = (path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const target = { hostname, port: base.port || undefined, path, method: 'GET', headers, agent, signal };
      const req = send(target, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) res.destroy(new IbmShapeError(`the answer is larger than ${MAX_BODY} bytes`));
          else chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        const untrusted = asUntrusted(e, `the Secrets Manager endpoint ${base.host}`, []);
        if (e instanceof IbmShapeError || untrusted) reject(untrusted ?? e);
        else if (e.name === 'AbortError') reject(new IbmHttpError('canceled', undefined));
        else reject(new IbmHttpError(e.message, undefined, undefined, e.code));
      });
      req.end();
    });

  return {
    async get(url, params, signal) {
      // The authenticator replaces `headers` with a copy that carries the Authorization header.
      const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'secrets-exec' };
      const request = { headers };
      await options.authenticator.authenticate(request);
      const path = `${prefix}${url.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))}`;
      const { status, text } = await limit(() => exchange(path, request.headers, signal));
      let body: unknown;
      try {
        body = parseExactJson(text);
      } catch {
        body = undefined;
      }
      if (status < 200 || status >= 300) {
        // IBM's error shape: {errors: [{code, message, more_info}], status_code, trace}.
        const first = (body as { errors?: Array<{ message?: unknown }> } | undefined)?.errors?.[0];
        throw new IbmHttpError(typeof first?.message === 'string' ? first.message : '', status, body);
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new IbmShapeError(
          'the answer is not a JSON object (is SECRETS_MANAGER_URL the address of a Secrets Manager instance?)',
        );
      }
      return body as Record<string, unknown>;
    },
    close: () => agent.destroy(),
  };
}
