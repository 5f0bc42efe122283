// From OCI's SecretBundle to a value: `secretBundleContent` is `{"contentType": "BASE64", "content": …}`
// (the only content type the API defines); the decoded bytes must be UTF-8, since the value becomes an
// environment variable. `check` shows the version number and its rotation stages.
import { Secret } from '../../log/secret.js';
import type { Fetched } from '../../resolve/types.js';
import { OciShapeError } from './errors.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes one bundle; `what` names the reference in errors (never the content). */
export function decodeBundle(body: unknown, what: string): Fetched {
  if (body === null || typeof body !== 'object') throw new OciShapeError(`${what}: the answer is not a secret bundle`);
  const bundle = body as Record<string, unknown>;
  const content = bundle.secretBundleContent as Record<string, unknown> | undefined;
  if (content === undefined || content === null || typeof content !== 'object') {
    throw new OciShapeError(`${what}: the secret bundle has no secretBundleContent`);
  }
  if (content.contentType !== 'BASE64') {
    const type = JSON.stringify(content.contentType);
    throw new OciShapeError(`${what}: secretBundleContent.contentType is ${type}, not BASE64`);
  }
  const encoded = typeof content.content === 'string' ? content.content.replace(/\s+/g, '') : undefined;
  if (encoded === undefined || encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw new OciShapeError(`${what}: secretBundleContent.content is not base64`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw new OciShapeError(`${what}: the secret's content is not UTF-8 text (environment values must be text)`);
  }
  return { value: new Secret(text), version: describeVersion(bundle) };
}

// `7 (CURRENT, LATEST)`: the number OCI gives the version, and the stages it is in.
function describeVersion(bundle: Record<string, unknown>): string | undefined {
  const raw = bundle.versionNumber;
  const number = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : undefined;
  const stages = Array.isArray(bundle.stages) ? bundle.stages.filter((s): s is string => typeof s === 'string') : [];
  if (number === undefined) return stages.length > 0 ? `(${stages.join(', ')})` : undefined;
  return stages.length > 0 ? `${number} (${stages.join(', ')})` : number;
}
