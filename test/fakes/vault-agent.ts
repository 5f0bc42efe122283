// A loopback Vault Agent / Vault Proxy API proxy, as Vault documents it (agent-and-proxy/proxy/apiproxy):
// every request is forwarded to the Vault server; with `use_auto_auth_token = true` a request that bears
// no X-Vault-Token is forwarded with the auto-auth token, one that bears a token keeps its own; with
// "force" the auto-auth token replaces any; with false the request goes as it came. Records what it saw.
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { listen } from './http.js';

export interface AgentRequest {
  readonly method: string;
  readonly path: string;
  /** The X-Vault-Token the client sent, if any. */
  readonly clientToken: string | undefined;
}

export interface FakeVaultAgent {
  readonly url: string;
  readonly requests: AgentRequest[];
  close(): Promise<void>;
}

export async function startFakeVaultAgent(options: {
  /** The Vault server's http:// address. */
  vaultUrl: string;
  autoAuthToken: string;
  useAutoAuthToken: boolean | 'force';
}): Promise<FakeVaultAgent> {
  const target = new URL(options.vaultUrl);
  const requests: AgentRequest[] = [];
  const server: Server = createServer((req, res) => {
    const sent = req.headers['x-vault-token'];
    const clientToken = Array.isArray(sent) ? sent[0] : sent;
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', clientToken });
    const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
    const use = options.useAutoAuthToken;
    if (use === 'force' || (use === true && !clientToken)) headers['x-vault-token'] = options.autoAuthToken;
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  const { port, close } = await listen(server);
  return { url: `http://127.0.0.1:${port}`, requests, close };
}
