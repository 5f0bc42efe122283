// A loopback IBM Cloud Secrets Manager speaking the v2 REST API (cloud.ibm.com/apidocs/secrets-manager) for
// the reads secrets-exec makes, with the response shapes of the v2 Secret / SecretVersion models:
//   GET /api/v2/secrets/{id}                                   the secret's metadata and its current payload
//   GET /api/v2/secrets/{id}/metadata                          the metadata only (labels, versions_total, …)
//   GET /api/v2/secrets/{secret_id}/versions/{id}              a version: its id, `current` or `previous`
//   GET /api/v2/secret_groups/{group_name}/secret_types/{type}/secrets/{name}   by name ("default" group)
// Every request needs `Authorization: Bearer <IAM access token>` that the IAM issuer signed and that has not
// expired (401 otherwise). deny(id) answers 403 for one secret; inject() answers 429 or 500 the next n times;
// latencyMs delays every answer. Errors are {errors: [{code, message, more_info}], status_code, trace}.
// Every request is recorded with the operation, the authenticated subject and the status.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecretStore, error, type PutSecret, type SmOperation } from './secrets-manager-api.js';
import { headerOf, sendJson, type TokenIssuer } from './tokens.js';

export type { PutSecret, SmOperation } from './secrets-manager-api.js';

export interface SmRequest {
  readonly op: SmOperation;
  readonly path: string;
  readonly subject: string | undefined;
  readonly auth: 'ok' | string;
  status: number;
}

export interface SecretsManagerFake {
  /** http://127.0.0.1:PORT — SECRETS_MANAGER_URL. */
  readonly url: string;
  readonly requests: SmRequest[];
  latencyMs: number;
  putSecret(secret: PutSecret): { id: string; versionId: string };
  addVersion(id: string, fields: Record<string, unknown>): string;
  deny(id: string): void;
  inject(fault: { status: 429 | 500; times?: number }): void;
  count(op: SmOperation): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startSecretsManagerFake(issuer: TokenIssuer): Promise<SecretsManagerFake> {
  const store = createSecretStore();
  const requests: SmRequest[] = [];
  let fault: { status: number; times: number } | undefined;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const inApi = url.pathname.startsWith('/api/v2/');
    const raw = inApi ? url.pathname.slice('/api/v2/'.length).split('/') : ['(outside the API)'];
    const { op, answer } = store.route(raw.map((s) => decodeURIComponent(s)));
    const bearer = /^Bearer (.+)$/.exec(headerOf(req, 'authorization') ?? '')?.[1];
    const checked = bearer === undefined ? { ok: false as const, reason: 'no bearer token' } : issuer.check(bearer);
    const recorded: SmRequest = {
      op,
      path: url.pathname,
      subject: checked.ok ? checked.claims.sub : undefined,
      auth: checked.ok ? 'ok' : checked.reason,
      status: 0,
    };
    requests.push(recorded);
    const unauthorized = { code: 'unauthorized', message: 'Unauthorized: missing, invalid or expired token' };
    let [status, body]: [number, object] = [401, error(401, unauthorized)];
    if (checked.ok && req.method !== 'GET') {
      [status, body] = [405, error(405, { code: 'method_not_allowed', message: 'Method not allowed' })];
    } else if (checked.ok && fault && fault.times > 0) {
      fault.times--;
      const throttled = fault.status === 429;
      const what = throttled
        ? { code: 'too_many_requests', message: 'Too many requests' }
        : { code: 'internal_server_error', message: 'Internal server error' };
      [status, body] = [fault.status, error(fault.status, what)];
    } else if (checked.ok) [status, body] = answer();
    recorded.status = status;
    setTimeout(() => sendJson(res, status, body), fake.latencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: SecretsManagerFake = {
    url: `http://127.0.0.1:${port}`,
    requests,
    latencyMs: 0,
    putSecret: (secret) => store.put(secret),
    addVersion: (id, fields) => store.addVersion(id, fields),
    deny: (id) => store.denied.add(id),
    inject: ({ status, times = Infinity }) => (fault = { status, times }),
    count: (op) => requests.filter((r) => r.op === op).length,
    reset() {
      requests.length = 0;
      fault = undefined;
      fake.latencyMs = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
