// How the Vault client's requests travel. Directly (no proxy variable): written on a kept-alive socket by
// the HTTP/1.1 client of shared/http1-client.ts, which spares a Vault reference node:http's start-up cost.
// Through a proxy: node:http(s) with a keep-alive agent, which tunnels https and forwards http for us (a
// proxy's hop costs more than node:http does). Either way, the TLS settings of VAULT_CACERT/VAULT_CAPATH,
// VAULT_CLIENT_CERT/KEY and VAULT_SKIP_VERIFY apply, and a body over `maxBodyBytes` is refused.
import type { Agent, ClientRequest, RequestOptions } from 'node:http';
import type { RequestOptions as HttpsRequestOptions } from 'node:https';
import type { ProxyEnv } from '../shared/egress.js';
import { type AgentTls, createKeepAliveAgent, flattenHeaders, readCappedBody } from '../shared/http.js';
import { createHttp1Client, endpointFor, type Http1Endpoint, type Http1Request } from '../shared/http1-client.js';

/** Method, origin-form path, headers, body and deadline: the same fields whichever way it travels. */
export type VaultWireRequest = Omit<Http1Request, 'maxBodyBytes'>;

export interface VaultAnswer {
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly text: string;
}

export interface VaultTransport {
  /** Sends to `target` (an http(s) origin), or to the unix socket when `target` is undefined. */
  send(target: URL | undefined, request: VaultWireRequest): Promise<VaultAnswer>;
  close(): void;
}

export function createVaultTransport(options: {
  socketPath?: string | undefined;
  tls: AgentTls;
  proxyEnv?: ProxyEnv | undefined;
  maxBodyBytes: number;
}): VaultTransport {
  return options.proxyEnv === undefined ? socketTransport(options) : agentTransport(options);
}

function socketTransport(options: { socketPath?: string | undefined; tls: AgentTls; maxBodyBytes: number }) {
  const client = createHttp1Client({ maxBodyBytes: options.maxBodyBytes });
  const endpointOf = (target: URL | undefined): Http1Endpoint =>
    target ? endpointFor(target, options.tls) : { socketPath: options.socketPath as string };
  return {
    async send(target: URL | undefined, request: VaultWireRequest): Promise<VaultAnswer> {
      const answer = await client.request(endpointOf(target), request);
      return { status: answer.status, headers: answer.headers, text: answer.body.toString('utf8') };
    },
    close: () => client.close(),
  };
}

function agentTransport(options: {
  socketPath?: string | undefined;
  tls: AgentTls;
  proxyEnv?: ProxyEnv | undefined;
  maxBodyBytes: number;
}): VaultTransport {
  // Created with the first request (a redirect keeps the protocol, and a unix socket speaks http), and
  // destroyed by close(). node:https loads node:tls and node:crypto: about 12 ms, for an https address only.
  let agent: Promise<Agent> | undefined;
  let open: Promise<(options: HttpsRequestOptions) => ClientRequest> | undefined;
  return {
    async send(target, request) {
      const secure = target?.protocol === 'https:';
      agent ??= createKeepAliveAgent({ secure, tls: options.tls, proxyEnv: options.proxyEnv }) as Promise<Agent>;
      open ??= secure ? import('node:https').then((m) => m.request) : import('node:http').then((m) => m.request);
      const { method, path, headers, signal } = request;
      const base: RequestOptions = { method, path, headers, agent: await agent, signal };
      const endpoint = target ? endpointFor(target) : undefined;
      const req = (await open)(
        endpoint && 'host' in endpoint
          ? { ...base, hostname: endpoint.host, port: endpoint.port, servername: endpoint.tls?.servername }
          : { ...base, socketPath: options.socketPath },
      );
      return new Promise((resolve, reject) => {
        req.on('error', reject);
        req.on('response', (res) => {
          readCappedBody(res, options.maxBodyBytes).then(
            (body) =>
              resolve({
                status: res.statusCode ?? 0,
                headers: flattenHeaders(res.headers),
                text: body.toString('utf8'),
              }),
            reject,
          );
        });
        req.end(request.body);
      });
    },
    close: () => void agent?.then((a) => a.destroy()),
  };
}
