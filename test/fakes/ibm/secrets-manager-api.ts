// The state and the answers of the fake Secrets Manager v2 (secrets-manager.ts serves them over HTTP): stored
// secrets with their versions, secret groups by name, and the v2 model shapes — a secret's metadata
// (id, name, secret_type, secret_group_id, labels, state, versions_total, …) plus its current payload fields,
// a version (id, secret_id, alias current/previous, payload_available, …) plus its payload fields — and IBM's
// error shape {errors: [{code, message, more_info}], status_code, trace}.
import { randomUUID } from 'node:crypto';

export type SmOperation =
  | 'get_secret'
  | 'get_secret_metadata'
  | 'get_secret_version'
  | 'get_secret_by_name_type'
  | 'unknown';

export interface PutSecret {
  readonly type: string;
  readonly name: string;
  /** The secret group's name; `default` (id `default`) unless given. */
  readonly group?: string;
  /** The type's payload fields: payload, data, username/password, api_key, certificate, credentials, … */
  readonly fields: Record<string, unknown>;
  readonly labels?: readonly string[];
}

export type Answer = [number, object];

export interface SecretStore {
  /** Secrets refused with 403 (by id). */
  readonly denied: Set<string>;
  put(secret: PutSecret): { id: string; versionId: string };
  addVersion(id: string, fields: Record<string, unknown>): string;
  /** The operation a path (below /api/v2/, decoded segments) names, and its answer. */
  route(segments: readonly string[]): { op: SmOperation; answer: () => Answer };
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
export const error = (status: number, e: { code: string; message: string }): object => ({
  errors: [{ ...e, more_info: 'https://cloud.ibm.com/apidocs/secrets-manager/secrets-manager-v2' }],
  status_code: status,
  trace: randomUUID(),
});

/** An empty store with the `default` secret group. */
export function createSecretStore(): SecretStore {
  const secrets = new Map<string, Stored>();
  const groups = new Map<string, string>([['default', 'default']]);
  const denied = new Set<string>();

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
    const last = s.versions.length - 1;
    const alias = index === last ? 'current' : index === last - 1 ? 'previous' : undefined;
    return {
      id: v.id,
      secret_id: s.id,
      secret_name: s.name,
      secret_type: s.type,
      secret_group_id: s.groupId,
      created_at: v.createdAt,
      created_by: 'iam-ServiceId-fake',
      downloaded: true,
      payload_available: true,
      ...(alias ? { alias } : {}),
      ...v.fields,
    };
  };

  // One request: who is calling, which operation, what it answers.
  const route = (segments: readonly string[]): { op: SmOperation; answer: () => Answer } => {
    const [top, a, b, c, d, e] = segments;
    const secretAnswer = (s: Stored | undefined, build: (s: Stored) => [number, object]): [number, object] => {
      if (!s) return [404, error(404, NOT_FOUND)];
      if (denied.has(s.id)) return [403, error(403, { code: 'forbidden', message: 'Forbidden' })];
      return build(s);
    };
    const withPayload = (s: Stored): [number, object] => [200, { ...metadataOf(s), ...s.versions.at(-1)?.fields }];
    if (top === 'secrets' && a !== undefined && segments.length === 2) {
      return { op: 'get_secret', answer: () => secretAnswer(secrets.get(a), withPayload) };
    }
    if (top === 'secrets' && a !== undefined && b === 'metadata' && segments.length === 3) {
      return { op: 'get_secret_metadata', answer: () => secretAnswer(secrets.get(a), (s) => [200, metadataOf(s)]) };
    }
    if (top === 'secrets' && a !== undefined && b === 'versions' && c !== undefined && segments.length === 4) {
      return {
        op: 'get_secret_version',
        answer: () =>
          secretAnswer(secrets.get(a), (s) => {
            const last = s.versions.length - 1;
            const byId = (): number => s.versions.findIndex((v) => v.id === c);
            const index = c === 'current' ? last : c === 'previous' ? last - 1 : byId();
            if (index < 0) return [404, error(404, { code: 'not_found', message: 'Secret version not found' })];
            return [200, versionOf(s, index)];
          }),
      };
    }
    const byName = top === 'secret_groups' && b === 'secret_types' && d === 'secrets' && segments.length === 6;
    if (byName && a !== undefined && c !== undefined && e !== undefined) {
      const groupId = groups.get(a);
      const found = [...secrets.values()].find((s) => s.groupId === groupId && s.type === c && s.name === e);
      return { op: 'get_secret_by_name_type', answer: () => secretAnswer(found, withPayload) };
    }
    return { op: 'unknown', answer: () => [404, error(404, { code: 'not_found', message: 'Not found' })] };
  };

  return {
    denied,
    route,
    put(secret) {
      const group = secret.group ?? 'default';
      if (!groups.has(group)) groups.set(group, randomUUID());
      const id = randomUUID();
      const versionId = randomUUID();
      const now = new Date().toISOString();
      secrets.set(id, {
        id,
        name: secret.name,
        type: secret.type,
        groupId: groups.get(group) as string,
        labels: secret.labels ?? [],
        createdAt: now,
        versions: [{ id: versionId, createdAt: now, fields: secret.fields }],
      });
      return { id, versionId };
    },
    addVersion(id, fields) {
      const versionId = randomUUID();
      secrets.get(id)?.versions.push({ id: versionId, createdAt: new Date().toISOString(), fields });
      return versionId;
    },
  };
}
