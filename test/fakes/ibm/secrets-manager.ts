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
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { headerOf, sendJson, type TokenIssuer } from './tokens.js';

export type SmOperation = 'get_secret' | 'get_secret_metadata' | 'get_secret_version' | 'get_secret_by_name_type' | 'unknown';

export interface SmRequest {
  readonly op: SmOperation;
  readonly path: string;
  readonly subject: string | undefined;
  readonly auth: 'ok' | string;
  status: number;
}

export interface PutSecret {
  readonly type: string;
  readonly name: string;
  /** The secret group's name; `default` (id `default`) unless given. */
  readonly group?: string;
  /** The type's payload fields: payload, data, username/password, api_key, certificate, credentials, … */
  readonly fields: Record<string, unknown>;
  readonly labels?: readonly string[];
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

interface Stored {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly groupId: string;
  readonly labels: readonly string[];
  readonly createdAt: string;
  readonly versions: Array<{ id: string; createdAt: string; fields: Record<string, unknown> }>;
}

const NOT_FOUND = { code: 'not_found', message: 'Secret not found' };
const error = (status: number, e: { code: string; message: string }): object => ({
  errors: [{ ...e, more_info: 'https://cloud.ibm.com/apidocs/secrets-manager/secrets-manager-v2' }],
  status_code: status,
  trace: randomUUID(),
});

export async function startSecretsManagerFake(issuer: TokenIssuer): Promise<SecretsManagerFake> {
  const secrets = new Map<string, Stored>();
  const groups = new Map<string, string>([['default', 'default']]);
  const denied = new Set<string>();
  const requests: SmRequest[] = [];
  let fault: { status: number; times: number } | undefined;

  const metadataOf = (s: Stored): Record<string, unknown> => ({
    id: s.id,
    name: s.name,
    secret_type: s.type,
    secret_group_id: s.groupId,
    labels: [...s.labels],
    crn: `crn:v1:bluemix:public:secrets-manager:us-south:a/fake:instance:secret:${s.id}`,
    created_at: s.createdAt,
    updated_at: s.versions.at(-1)?.createdAt,
    created_by: 'iam-ServiceId-fake',
    downloaded: true,
    locks_total: 0,
    state: 1,
    state_description: 'active',
    versions_total: s.versions.length,
  });
  const versionOf = (s: Stored, index: number): Record<string, unknown> => {
    const v = s.versions[index] as Stored['versions'][number];
    const alias = index === s.versions.length - 1 ? 'current' : index === s.versions.length - 2 ? 'previous' : undefined;
    return { id: v.id, secret_id: s.id, secret_name: s.name, secret_type: s.type, secret_group_id: s.groupId, created_at: v.createdAt, created_by: 'iam-ServiceId-fake', downloaded: true, payload_available: true, ...(alias ? { alias } : {}), ...v.fields };
  };

  // One request: who is calling, which operation, what it answers.
  const route = (segments: string[]): { op: SmOperation; answer: () => [number, object] } => {
    const [top, a, b, c, d, e] = segments;
    const secretAnswer = (s: Stored | undefined, build: (s: Stored) => [number, object]): [number, object] => {
      if (!s) return [404, error(404, NOT_FOUND)];
      if (denied.has(s.id)) return [403, error(403, { code: 'forbidden', message: 'Forbidden' })];
      return build(s);
    };
    if (top === 'secrets' && a !== undefined && segments.length === 2) return { op: 'get_secret', answer: () => secretAnswer(secrets.get(a), (s) => [200, { ...metadataOf(s), ...s.versions.at(-1)?.fields }]) };
    if (top === 'secrets' && a !== undefined && b === 'metadata' && segments.length === 3) return { op: 'get_secret_metadata', answer: () => secretAnswer(secrets.get(a), (s) => [200, metadataOf(s)]) };
    if (top === 'secrets' && a !== undefined && b === 'versions' && c !== undefined && segments.length === 4) {
      return {
        op: 'get_secret_version',
        answer: () =>
          secretAnswer(secrets.get(a), (s) => {
            const index = c === 'current' ? s.versions.length - 1 : c === 'previous' ? s.versions.length - 2 : s.versions.findIndex((v) => v.id === c);
            return index < 0 ? [404, error(404, { code: 'not_found', message: 'Secret version not found' })] : [200, versionOf(s, index)];
          }),
      };
    }
    if (top === 'secret_groups' && a !== undefined && b === 'secret_types' && c !== undefined && d === 'secrets' && e !== undefined && segments.length === 6) {
      const groupId = groups.get(a);
      const found = [...secrets.values()].find((s) => s.groupId === groupId && s.type === c && s.name === e);
      return { op: 'get_secret_by_name_type', answer: () => secretAnswer(found, (s) => [200, { ...metadataOf(s), ...s.versions.at(-1)?.fields }]) };
    }
    return { op: 'unknown', answer: () => [404, error(404, { code: 'not_found', message: 'Not found' })] };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = url.pathname.startsWith('/api/v2/') ? url.pathname.slice('/api/v2/'.length).split('/') : ['(outside the API)'];
    const { op, answer } = route(raw.map((s) => decodeURIComponent(s)));
    const bearer = /^Bearer (.+)$/.exec(headerOf(req, 'authorization') ?? '')?.[1];
    const checked = bearer === undefined ? { ok: false as const, reason: 'no bearer token' } : issuer.check(bearer);
    const recorded: SmRequest = { op, path: url.pathname, subject: checked.ok ? checked.claims.sub : undefined, auth: checked.ok ? 'ok' : checked.reason, status: 0 };
    requests.push(recorded);
    let [status, body]: [number, object] = [401, error(401, { code: 'unauthorized', message: 'Unauthorized: the IAM access token is missing, invalid or expired' })];
    if (checked.ok && req.method !== 'GET') [status, body] = [405, error(405, { code: 'method_not_allowed', message: 'Method not allowed' })];
    else if (checked.ok && fault && fault.times > 0) {
      fault.times--;
      [status, body] = [fault.status, error(fault.status, { code: fault.status === 429 ? 'too_many_requests' : 'internal_server_error', message: fault.status === 429 ? 'Too many requests' : 'Internal server error' })];
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
    putSecret(secret) {
      const group = secret.group ?? 'default';
      if (!groups.has(group)) groups.set(group, randomUUID());
      const id = randomUUID();
      const versionId = randomUUID();
      const now = new Date().toISOString();
      secrets.set(id, { id, name: secret.name, type: secret.type, groupId: groups.get(group) as string, labels: secret.labels ?? [], createdAt: now, versions: [{ id: versionId, createdAt: now, fields: secret.fields }] });
      return { id, versionId };
    },
    addVersion(id, fields) {
      const versionId = randomUUID();
      secrets.get(id)?.versions.push({ id: versionId, createdAt: new Date().toISOString(), fields });
      return versionId;
    },
    deny: (id) => denied.add(id),
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
