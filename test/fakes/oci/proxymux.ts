// The proxymux of an enhanced OKE cluster, on loopback over TLS (a test CA from ../vault-tls.ts):
// POST /resourcePrincipalSessionTokens with `Authorization: Bearer SERVICE_ACCOUNT_TOKEN` and
// `{"podKey": PUBLIC_KEY}` answers, base64-encoded, `{"token": "ST$" + a session token for podKey}`
// issued by the Secrets fake's identity. A wrong or missing service-account token is a 401.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsFiles } from '../vault-tls.js';
import type { Identity } from './identity.js';

export interface ProxymuxFake {
  readonly host: string;
  readonly port: string;
  /** Why requests were refused, and how many tokens were issued. */
  readonly refusals: string[];
  issued: number;
  close(): Promise<void>;
}

/** Starts the proxymux on 127.0.0.1 with a certificate from `tls`; it accepts only `serviceAccountToken`. */
export async function startProxymuxFake(options: {
  tls: TlsFiles;
  identity: Identity;
  serviceAccountToken: string;
}): Promise<ProxymuxFake> {
  const { tls, identity, serviceAccountToken } = options;
  const state = { refusals: [] as string[], issued: 0 };
  const server: Server = createServer({ cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const refuse = (status: number, why: string): void => {
        state.refusals.push(why);
        const body = JSON.stringify({ code: 'NotAuthenticated', message: why });
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      };
      if (req.method !== 'POST' || req.url !== '/resourcePrincipalSessionTokens') {
        return refuse(404, `no route ${req.method} ${req.url}`);
      }
      if (req.headers.authorization !== `Bearer ${serviceAccountToken}`) {
        return refuse(401, 'service-account token refused');
      }
      let podKey: unknown;
      try {
        podKey = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { podKey?: unknown }).podKey;
      } catch {
        return refuse(400, 'body is not JSON');
      }
      if (typeof podKey !== 'string' || podKey === '') return refuse(400, 'no podKey');
      state.issued++;
      const body = JSON.stringify({ token: `ST$${identity.issueSessionToken(podKey, { principal: 'workload' })}` });
      res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from(body).toString('base64'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: String((server.address() as AddressInfo).port),
    get refusals() {
      return state.refusals;
    },
    get issued() {
      return state.issued;
    },
    set issued(n: number) {
      state.issued = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
