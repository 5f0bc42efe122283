// How each cloud's metadata service is told apart from the others (used by platforms.ts): all four
// listen at 169.254.169.254 and several answer 200 to paths that are not theirs, so each function
// accepts only its vendor's documented mark — a response header, or a body shape no other vendor
// produces — and never quotes the body (it may hold user data or a token).
import type { ProbeAnswer, Recognition } from './platforms.js';

const fail = (reason: string): Recognition => ({ ok: false, reason });

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// AWS IMDSv2: the token PUT is answered with the token as text and the TTL echoed in a response header
// (the AWS SDKs refuse a token response without it).
export function recogniseAws(a: ProbeAnswer): Recognition {
  if (a.status !== 200) return fail(`HTTP ${a.status}`);
  if (a.headers['metadata-flavor'] !== undefined) return fail('answered with a Metadata-Flavor header (not AWS)');
  if (!/^\d+$/.test(a.headers['x-aws-ec2-metadata-token-ttl-seconds'] ?? '')) return fail('no X-aws-ec2-metadata-token-ttl-seconds header');
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(a.body.trim())) return fail('the body is not a session token');
  return { ok: true, detail: 'IMDSv2 issued a session token' };
}

// Google: every metadata server response carries `Metadata-Flavor: Google`.
export function recogniseGoogle(a: ProbeAnswer): Recognition {
  if (a.status !== 200) return fail(`HTTP ${a.status}`);
  if (a.headers['metadata-flavor'] !== 'Google') return fail('no Metadata-Flavor: Google response header');
  return { ok: true, detail: 'metadata server answered with Metadata-Flavor: Google' };
}

// Oracle IMDSv2: the instance document is JSON whose `id` is an instance OCID.
export function recogniseOracle(a: ProbeAnswer): Recognition {
  if (a.status !== 200) return fail(`HTTP ${a.status}`);
  const doc = parseJsonObject(a.body);
  if (!doc) return fail('the body is not a JSON object');
  if (typeof doc.id !== 'string' || !doc.id.startsWith('ocid1.instance.')) return fail('no instance OCID in the document');
  if (typeof doc.compartmentId !== 'string' || !doc.compartmentId.startsWith('ocid1.')) return fail('no compartment OCID in the document');
  const region = typeof doc.canonicalRegionName === 'string' && /^[a-z0-9-]{1,40}$/.test(doc.canonicalRegionName) ? ` in ${doc.canonicalRegionName}` : '';
  return { ok: true, detail: `instance metadata of an OCI instance${region}` };
}

// IBM VPC: the instance identity token is JSON with `access_token` and `expires_in`.
export function recogniseIbm(a: ProbeAnswer): Recognition {
  if (a.status !== 200) return fail(`HTTP ${a.status}`);
  const doc = parseJsonObject(a.body);
  if (!doc) return fail('the body is not a JSON object');
  if (typeof doc.access_token !== 'string' || doc.access_token === '') return fail('no access_token in the answer');
  if (typeof doc.expires_in !== 'number') return fail('no expires_in in the answer');
  return { ok: true, detail: 'VPC metadata service issued an instance identity token' };
}
