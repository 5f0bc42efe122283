// The access tokens the fake Google issues (OAuth2 token endpoint, STS, metadata server) and the fake
// Secret Manager accepts: each token belongs to one identity and expires like Google's (one hour).
import { randomBytes } from 'node:crypto';

export interface TokenAuthority {
  /** Issues a bearer token for an identity (a service account email, a federated principal, …). */
  issue(identity: string): { token: string; expiresIn: number };
  /** The identity of a live token, or undefined. */
  identityOf(token: string): string | undefined;
  /** Makes a token invalid (as a revoked or expired one is). */
  revoke(token: string): void;
  /** Every token issued, in order, with its identity. */
  readonly issued: Array<{ token: string; identity: string }>;
}

export function createTokenAuthority(): TokenAuthority {
  const live = new Map<string, { identity: string; expires: number }>();
  const issued: Array<{ token: string; identity: string }> = [];
  return {
    issued,
    issue(identity) {
      // Google's access tokens start with ya29. and are opaque.
      const token = `ya29.fake-${randomBytes(24).toString('base64url')}`;
      live.set(token, { identity, expires: Date.now() + 3_600_000 });
      issued.push({ token, identity });
      return { token, expiresIn: 3599 };
    },
    identityOf(token) {
      const entry = live.get(token);
      return entry && entry.expires > Date.now() ? entry.identity : undefined;
    },
    revoke(token) {
      live.delete(token);
    },
  };
}
