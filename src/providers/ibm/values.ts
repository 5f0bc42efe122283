// What each Secrets Manager v2 secret type yields (the fields of its Secret / SecretVersion model):
//   arbitrary            `payload`, text; base64-decoded when the secret carries the label `encode:base64`
//                        (IBM's documented convention for binary payloads), and then it must be UTF-8
//   kv                   `data` as a JSON map
//   username_password    {username, password}
//   iam_credentials      {api_key, api_key_id, service_id}
//   imported_cert, public_cert, private_cert
//                        {certificate, private_key, intermediate, issuing_ca, ca_chain} (those present)
//   service_credentials  `credentials` as a JSON map
// A map is JSON text, so `#KEY` and `--load` apply. Every failure names the secret, never a value.
import { ProviderError } from '../../errors/errors.js';
import { Secret } from '../../log/secret.js';
import { isStrictBase64 } from '../shared/base64.js';
import type { Fetched } from '../../resolve/types.js';

type Json = Record<string, unknown>;

/** The label that marks an arbitrary secret's payload as base64 (IBM's documentation suggests it). */
export const BASE64_LABEL = 'encode:base64';

const CERT_FIELDS = ['certificate', 'private_key', 'intermediate', 'issuing_ca', 'ca_chain'];
const MAP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  username_password: ['username', 'password'],
  iam_credentials: ['api_key', 'api_key_id', 'service_id'],
  imported_cert: CERT_FIELDS,
  public_cert: CERT_FIELDS,
  private_cert: CERT_FIELDS,
};

/**
 * The value of a secret or secret version. `labels` are the secret's (a version carries none of its own);
 * `version` is what `check` shows.
 */
export function toFetched(body: Json, labels: readonly string[], version: string | undefined): Fetched {
  const type = typeof body.secret_type === 'string' ? body.secret_type : '(none)';
  if (body.payload_available === false) {
    throw new ProviderError('NotFound', `this ${type} secret version holds no payload any more`);
  }
  const value = valueOf(type, body, labels);
  return { value: new Secret(value), version };
}

function valueOf(type: string, body: Json, labels: readonly string[]): string {
  if (type === 'arbitrary') {
    if (typeof body.payload !== 'string') throw noPayload(type, body, 'payload');
    return labels.includes(BASE64_LABEL) ? decodeBase64(body.payload) : body.payload;
  }
  if (type === 'kv') return JSON.stringify(requireMap(type, body, 'data'));
  if (type === 'service_credentials') return JSON.stringify(requireMap(type, body, 'credentials'));
  const fields = MAP_FIELDS[type];
  if (fields === undefined) {
    throw new ProviderError('Invalid', `secret type '${type}' is not one secrets-exec can read`);
  }
  const map: Json = {};
  for (const field of fields) if (body[field] !== undefined && body[field] !== null) map[field] = body[field];
  const main = type === 'username_password' ? 'password' : type === 'iam_credentials' ? 'api_key' : 'certificate';
  if (map[main] === undefined) throw noPayload(type, body, main);
  return JSON.stringify(map);
}

function requireMap(type: string, body: Json, field: string): Json {
  const value = body[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw noPayload(type, body, field);
  return value as Json;
}

// A certificate still being ordered, or an answer without the secret data: say which, with the state.
function noPayload(type: string, body: Json, field: string): ProviderError {
  const state = typeof body.state_description === 'string' ? ` (state: ${body.state_description.slice(0, 40)})` : '';
  return new ProviderError('Invalid', `the ${type} secret has no '${field}' in Secrets Manager's answer${state}`);
}

// Strict base64: anything else is a mislabelled secret, and guessing would hand the program garbage.
function decodeBase64(text: string): string {
  const compact = text.replace(/\s+/g, '');
  if (!isStrictBase64(compact)) {
    const why = `the arbitrary secret is labelled ${BASE64_LABEL} but its payload is not base64`;
    throw new ProviderError('Invalid', why);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    const why = "the arbitrary secret's base64 payload is not UTF-8 text (environment values are text)";
    throw new ProviderError('Invalid', why);
  }
}

/** The secret's labels, from a secret or metadata answer. */
export function labelsOf(body: Json): string[] {
  return Array.isArray(body.labels) ? body.labels.filter((l): l is string => typeof l === 'string') : [];
}
