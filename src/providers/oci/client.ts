// A thin client for the two calls of OCI's Secret Retrieval API (version 20190301) that secrets-exec
// makes, signed by Oracle's DefaultRequestSigner (draft-cavage signatures: x-date, (request-target)
// and host; for POST also content-type, content-length and x-content-sha256):
//   GetSecretBundle        GET  /20190301/secretbundles/{secretId}?versionNumber=N|stage=S
//   GetSecretBundleByName  POST /20190301/secretbundles/actions/getByName?secretName=…&vaultId=…[&…]
// Not the generated oci-secrets client: it adds a retrier, a circuit breaker and a fetch transport we
// would switch off, and start-up time. It never retries: src/resolve/retry.ts retries Unavailable.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { randomUUID } from 'node:crypto';
import { authFailure, OciHttpError, OciShapeError } from './errors.js';
import { header, sendRequest, SigningHeaders } from './transport.js';
import type { DefaultRequestSigner } from 'oci-common/lib/signer.js';
import { createLimit } from '../shared/limit.js';
import type { ProxyEnv } from '../shared/egress.js';
import { asUntrusted } from '../shared/egress-errors.js';

const API_VERSION = '20190301';

interface VersionChoice {
  readonly versionNumber?: string | undefined;
  readonly stage?: string | undefined;
}

export type BundleRequest =
  | (VersionChoice & { readonly secretId: string })
  | (VersionChoice & { readonly vaultId: string; readonly secretName: string });

export interface OciClient {
  /** Sends one request; resolves with the parsed JSON body or throws OciHttpError / a network error. */
  getSecretBundle(request: BundleRequest, signal: AbortSignal): Promise<unknown>;
  close(): void;
}

/** The client of one run: one keep-alive agent, one signer. */
export function createOciClient(options: {
  endpoint: URL;
  signer: DefaultRequestSigner;
  auth: string;
  /** The run's proxy settings (docs/network.md), when a proxy variable is set. */
  proxyEnv?: ProxyEnv | undefined;
}): OciClient {
  const { endpoint, signer, auth } = options;
  const secure = endpoint.protocol === 'https:';
  const proxy = options.proxyEnv === undefined ? {} : { proxyEnv: { ...options.proxyEnv } };
  const agent = secure ? new HttpsAgent({ keepAlive: true, ...proxy }) : new HttpAgent({ keepAlive: true, ...proxy });
  // The run's requests in flight at once (a store's rate limit counts them all).
  const limit = createLimit();
  const base = `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, '')}/${API_VERSION}`;

  return {
    async getSecretBundle(request, signal) {
      const byName = 'vaultId' in request;
      const operation = byName ? 'GetSecretBundleByName' : 'GetSecretBundle';
      const query = new URLSearchParams();
      if (byName) {
        query.set('secretName', request.secretName);
        query.set('vaultId', request.vaultId);
      }
      if (request.versionNumber !== undefined) query.set('versionNumber', request.versionNumber);
      if (request.stage !== undefined) query.set('stage', request.stage);
      const path = byName
        ? '/secretbundles/actions/getByName'
        : `/secretbundles/${encodeURIComponent(request.secretId)}`;
      const search = query.toString();
      const uri = `${base}${path}${search ? `?${search}` : ''}`;
      const method = byName ? 'POST' : 'GET';
      const requestId = randomUUID().replace(/-/g, '').toUpperCase();
      const headers = new SigningHeaders({ accept: 'application/json', 'opc-request-id': requestId });
      try {
        // The signer reads and adds headers through get/has/set only; a fetch Headers would load undici.
        await signer.signHttpRequest({ method, uri, headers: headers as unknown as Headers });
      } catch (error) {
        throw authFailure(error, auth);
      }
      const { res, text } = await limit(() => sendRequest({ uri, method, headers, agent, secure, signal })).catch(
        (error: unknown) => {
          throw asUntrusted(error, `the OCI Secrets endpoint ${endpoint.host}`, []) ?? error;
        },
      );
      const answerId = header(res, 'opc-request-id');
      return interpret({ status: res.statusCode ?? 0, text, operation, auth, requestId: answerId });
    },
    close: () => agent.destroy(),
  };
}

// 2xx: the JSON body. Anything else: OCI's error model, {"code": "...", "message": "..."}.
function interpret(answer: {
  status: number;
  text: string;
  operation: string;
  auth: string;
  requestId: string | undefined;
}): unknown {
  const { status, text, operation, auth, requestId } = answer;
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status >= 200 && status < 300) {
    if (json === undefined) {
      throw new OciShapeError(`${operation}: the answer is not JSON (is SECRETS_EXEC_OCI_ENDPOINT an OCI endpoint?)`);
    }
    return json;
  }
  const body = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const code = typeof body.code === 'string' ? body.code : '';
  const message = typeof body.message === 'string' ? body.message : '';
  throw new OciHttpError(status, code, message, operation, auth, requestId);
}
