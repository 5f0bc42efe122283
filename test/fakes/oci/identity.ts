// The identities the fake OCI knows, and how it turns a signature's keyId into a public key:
//   - API keys: keyId `TENANCY_OCID/USER_OCID/FINGERPRINT`, the fingerprint being the MD5 of the public
//     key's DER (SubjectPublicKeyInfo) in colon-separated hex, as the Console shows it;
//   - session tokens (resource and instance principals): keyId `ST$TOKEN`, TOKEN a JWT signed (RS256)
//     by this fake's own identity key, whose `jwk` claim holds the session's public key and whose `exp`
//     must be in the future. Requests are then signed with that session key.
import { createHash, createPublicKey, createSign, createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { KeyResolver } from './signature.js';

export const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaafaketenancy';
export const USER = 'ocid1.user.oc1..aaaaaaaafakeuser';

/** An RSA key pair in PEM, as the test generates it (never written anywhere but a temp dir). */
export interface TestKeyPair {
  readonly privatePem: string;
  readonly publicPem: string;
}

/** A fresh RSA key pair (2048 bits, as OCI requires for API keys). */
export function generateRsaKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

/** OCI's API key fingerprint: MD5 of the DER public key, as aa:bb:…. */
export function fingerprintOf(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
  return createHash('md5').update(der).digest('hex').match(/../g)?.join(':') ?? '';
}

export interface Identity {
  /** Registers an API key; returns the keyId a correct signer sends. */
  addApiKey(publicPem: string, options?: { tenancy?: string; user?: string }): string;
  /** Issues a session token for a session public key (what the auth service does for a principal). */
  issueSessionToken(sessionPublicKey: string, options?: { ttlSeconds?: number; principal?: string }): string;
  /** The keyId → public key rule of the Secrets service. */
  readonly resolveKey: KeyResolver;
  /** Principals of the session tokens issued (`resource`, `instance`, …), for assertions. */
  principalOf(keyId: string): string | undefined;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function createIdentity(): Identity {
  const apiKeys = new Map<string, KeyObject>();
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const verifyToken = (token: string): { key: KeyObject; principal: string } | { reason: string } => {
    const [head, payload, signature] = token.split('.');
    if (!head || !payload || !signature) return { reason: 'session token is not a JWT' };
    const verifier = createVerify('RSA-SHA256').update(`${head}.${payload}`);
    const valid = verifier.verify(signing.publicKey, signature, 'base64url');
    if (!valid) return { reason: 'session token was not issued by this identity service' };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return { reason: 'session token expired' };
    const jwk = typeof claims.jwk === 'string' ? (JSON.parse(claims.jwk) as Record<string, unknown>) : claims.jwk;
    try {
      return { key: createPublicKey({ key: jwk as never, format: 'jwk' }), principal: String(claims.ptype ?? '') };
    } catch {
      return { reason: 'session token has no usable jwk claim' };
    }
  };

  return {
    addApiKey(publicPem, options = {}) {
      const keyId = `${options.tenancy ?? TENANCY}/${options.user ?? USER}/${fingerprintOf(publicPem)}`;
      apiKeys.set(keyId, createPublicKey(publicPem));
      return keyId;
    },
    issueSessionToken(sessionPublicKey, options = {}) {
      // The auth services receive the key as PEM without its armour lines.
      const pem = sessionPublicKey.includes('BEGIN')
        ? sessionPublicKey
        : `-----BEGIN PUBLIC KEY-----\n${sessionPublicKey}\n-----END PUBLIC KEY-----\n`;
      const jwk = { ...createPublicKey(pem).export({ format: 'jwk' }), kid: 'asw', use: 'sig' };
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        sub: `ocid1.${options.principal ?? 'resource'}.oc1..aaaaaaaafakeprincipal`,
        iss: 'authService.oracle.com',
        ptype: options.principal ?? 'resource',
        res_tenant: TENANCY,
        res_compartment: 'ocid1.compartment.oc1..aaaaaaaafakecompartment',
        jti: randomUUID(),
        iat: now,
        exp: now + (options.ttlSeconds ?? 1200),
        jwk: JSON.stringify(jwk),
      };
      const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'asw' }));
      const unsigned = `${head}.${b64url(JSON.stringify(claims))}`;
      return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(signing.privateKey, 'base64url')}`;
    },
    resolveKey(keyId) {
      if (keyId.startsWith('ST$')) {
        const verified = verifyToken(keyId.slice(3));
        return 'reason' in verified ? verified : { key: verified.key };
      }
      const key = apiKeys.get(keyId);
      return key ? { key } : { reason: `unknown API key ${keyId}` };
    },
    principalOf(keyId) {
      if (!keyId.startsWith('ST$')) return apiKeys.has(keyId) ? 'api_key' : undefined;
      const verified = verifyToken(keyId.slice(3));
      return 'reason' in verified ? undefined : verified.principal;
    },
  };
}
