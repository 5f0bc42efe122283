// The fake Vault's own endpoints that the provider does not call but tests rely on being Vault-shaped:
// KV v2 writes, metadata, soft delete and destroy over HTTP, token lookup, and the seal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimit } from './rate-limit.js';
import { startFakeVault, type FakeVault } from './vault.js';

let vault: FakeVault;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
});

afterAll(() => vault.close());

// The tests walk Vault's JSON answers by path, untyped.
// biome-ignore lint/suspicious/noExplicitAny: see above.
type Json = any;

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${vault.url}/v1/${path}`, {
    method,
    headers: options.token === undefined ? {} : { 'X-Vault-Token': options.token },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

describe('fake Vault KV v2', () => {
  it(
    'writes versions, lists them in metadata, ' + 'and answers 404 with metadata for deleted and destroyed ones',
    async () => {
      const root = vault.rootToken;
      expect((await call('POST', 'secret/data/x', { token: root, body: { data: { a: '1' } } })).body.data.version).toBe(
        1,
      );
      expect((await call('POST', 'secret/data/x', { token: root, body: { data: { a: '2' } } })).body.data.version).toBe(
        2,
      );
      expect((await call('POST', 'secret/delete/x', { token: root, body: { versions: [1] } })).status).toBe(204);
      expect((await call('PUT', 'secret/destroy/x', { token: root, body: { versions: [2] } })).status).toBe(204);
      const meta = await call('GET', 'secret/metadata/x', { token: root });
      expect(meta.body.data.current_version).toBe(2);
      expect(meta.body.data.versions['1'].deletion_time).not.toBe('');
      expect(meta.body.data.versions['2'].destroyed).toBe(true);
      const deleted = await call('GET', 'secret/data/x?version=1', { token: root });
      expect([deleted.status, deleted.body.data.data, deleted.body.data.metadata.version]).toEqual([404, null, 1]);
      expect((await call('GET', 'secret/x', { token: root })).body.warnings[0]).toContain(
        'Invalid path for a versioned K/V secrets engine',
      );
    },
  );
});

describe('fake Vault tokens and seal', () => {
  it('lets any token look itself up through the default policy, and nothing else', async () => {
    const token = vault.issueToken({ policies: [] });
    expect((await call('GET', 'auth/token/lookup-self', { token })).body.data.policies).toEqual(['default']);
    expect((await call('GET', 'secret/data/x', { token })).status).toBe(403);
    expect((await call('GET', 'auth/token/lookup-self')).status).toBe(403);
  });

  it('answers 503 "Vault is sealed" to everything but seal-status and health while sealed', async () => {
    vault.seal();
    try {
      expect(await call('GET', 'auth/token/lookup-self', { token: vault.rootToken })).toEqual({
        status: 503,
        body: { errors: ['Vault is sealed'] },
      });
      expect((await call('GET', 'sys/seal-status')).body.sealed).toBe(true);
    } finally {
      vault.unseal();
    }
  });
});

describe('fake Vault rate limit quota', () => {
  it('answers 429 "rate limit quota exceeded" beyond the quota, as Vault does', async () => {
    vault.rateLimiter = new RateLimit(0.001, 1);
    try {
      expect((await call('GET', 'auth/token/lookup-self', { token: vault.rootToken })).status).toBe(200);
      const over = await call('GET', 'auth/token/lookup-self', { token: vault.rootToken });
      expect(over.status).toBe(429);
      expect(over.body.errors[0]).toContain('rate limit quota exceeded');
    } finally {
      vault.rateLimiter = undefined;
    }
  });
});
