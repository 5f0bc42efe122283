// TLS to Vault (README "Security model"): verified by default, a custom CA through VAULT_CACERT or VAULT_CAPATH,
// client certificates for mutual TLS, and VAULT_SKIP_VERIFY working only with a loud warning. The CA and
// certificates are made with openssl at test time.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderError } from '../../../src/errors/errors.js';
import { toProviderError } from '../../../src/providers/vault/errors.js';
import { vaultProvider } from '../../../src/providers/vault/vault.js';
import { isFetched, type Outcome } from '../../../src/resolve/types.js';
import { makeContext, vaultRef } from '../../support/vault-context.js';
import { generateTlsFiles, type TlsFiles } from '../../fakes/vault-tls.js';
import { startFakeVault, type FakeVault } from '../../fakes/vault.js';

let tls: TlsFiles;
let vault: FakeVault;
let mtlsVault: FakeVault;

function seed(v: FakeVault): void {
  v.mountKv('secret', 1);
  v.putSecret('secret', 'tls', { value: 'over-tls' });
}

beforeAll(async () => {
  tls = generateTlsFiles();
  vault = await startFakeVault({ tls: { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) } });
  mtlsVault = await startFakeVault({
    tls: { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey), ca: tls.read(tls.caCert), requestCert: true },
  });
  seed(vault);
  seed(mtlsVault);
});

afterAll(async () => {
  await Promise.all([vault.close(), mtlsVault.close()]);
  tls.remove();
});

async function read(
  v: Pick<FakeVault, 'url' | 'rootToken'>,
  env: Record<string, string>,
): Promise<{ outcome: Outcome; lines: string[] }> {
  const { ctx, lines } = makeContext({ VAULT_ADDR: v.url, VAULT_TOKEN: v.rootToken, ...env });
  const instance = vaultProvider.create(ctx);
  try {
    const outcome = (await instance.resolve([vaultRef('secret/tls')]))[0] as Outcome;
    return { outcome, lines };
  } catch (error) {
    return { outcome: vaultProvider.classify(error), lines };
  } finally {
    await instance.close();
  }
}

function expectValue(outcome: Outcome): void {
  if (!isFetched(outcome)) throw new Error(`expected a value, got ${outcome.kind}: ${outcome.message}`);
  expect(JSON.parse(outcome.value.reveal())).toEqual({ value: 'over-tls' });
}

describe('TLS to Vault', () => {
  it('trusts the CA that VAULT_CACERT names', async () => {
    expectValue((await read(vault, { VAULT_CACERT: tls.caCert })).outcome);
  });

  it('trusts the CAs in the directory VAULT_CAPATH names', async () => {
    const dir = join(tls.dir, 'capath');
    mkdirSync(dir, { recursive: true });
    copyFileSync(tls.otherCaCert, join(dir, 'a-other.pem'));
    copyFileSync(tls.caCert, join(dir, 'b-ours.pem'));
    expectValue((await read(vault, { VAULT_CAPATH: dir })).outcome);
  });

  it('fails with a clear TLS error that says to set VAULT_CACERT when no CA is given', async () => {
    const error = (await read(vault, {})).outcome as ProviderError;
    expect(error.kind).toBe('Invalid');
    expect(error.message).toMatch(
      /TLS: the certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(\w+\); set VAULT_CACERT/,
    );
  });

  it.each([
    ['VAULT_CACERT', () => tls.otherCaCert],
    [
      'VAULT_CAPATH',
      () => {
        const dir = join(tls.dir, 'capath-other');
        mkdirSync(dir, { recursive: true });
        copyFileSync(tls.otherCaCert, join(dir, 'other.pem'));
        return dir;
      },
    ],
  ])('says the CA in %s did not sign the certificate (not "set" it) when it names another CA', async (name, path) => {
    const error = (await read(vault, { [name]: path() })).outcome as ProviderError;
    expect(error.kind).toBe('Invalid');
    expect(error.message).toMatch(
      new RegExp(`not trusted \\(\\w+\\); the CA certificates in ${name} .* did not sign it`),
    );
    expect(error.message).not.toMatch(new RegExp(`set ${name}`));
  });

  it('says https:// met a plain http server, not "unexpected Error"', async () => {
    const plain = await startFakeVault();
    seed(plain);
    try {
      const { outcome } = await read({ url: plain.url.replace('http:', 'https:'), rootToken: plain.rootToken }, {});
      const error = outcome as ProviderError;
      expect(error.kind).toBe('Invalid');
      expect(error.message).toMatch(/does the server speak plain http\? then write VAULT_ADDR as http:\/\//);
    } finally {
      await plain.close();
    }
  });

  it('names a host the certificate does not list without telling to set VAULT_CACERT', () => {
    const mismatch = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    const error = toProviderError(mismatch, { action: 'read secret/x' }, 'https://vault.example:8200');
    expect(error.message).toMatch(/does not name that host \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    expect(error.message).not.toContain('VAULT_CACERT');
  });

  it('is Invalid naming the variable when VAULT_CACERT cannot be read', async () => {
    const { outcome } = await read(vault, { VAULT_CACERT: join(tls.dir, 'missing.pem') });
    expect((outcome as ProviderError).message).toContain('VAULT_CACERT');
    expect((outcome as ProviderError).message).toContain('ENOENT');
  });

  it('skips verification with VAULT_SKIP_VERIFY, and warns loudly', async () => {
    const { outcome, lines } = await read(vault, { VAULT_SKIP_VERIFY: 'true' });
    expectValue(outcome);
    expect(lines.join('')).toMatch(/warn: VAULT_SKIP_VERIFY is set: the Vault server certificate is NOT verified/);
  });

  it('presents the client certificate of VAULT_CLIENT_CERT and VAULT_CLIENT_KEY for mutual TLS', async () => {
    expectValue(
      (
        await read(mtlsVault, {
          VAULT_CACERT: tls.caCert,
          VAULT_CLIENT_CERT: tls.clientCert,
          VAULT_CLIENT_KEY: tls.clientKey,
        })
      ).outcome,
    );
    const without = (await read(mtlsVault, { VAULT_CACERT: tls.caCert })).outcome as ProviderError;
    expect(without.kind).toBe('Invalid');
    expect(without.message).toContain('VAULT_CLIENT_CERT');
  });

  it('needs VAULT_CLIENT_CERT and VAULT_CLIENT_KEY together', async () => {
    const { outcome } = await read(mtlsVault, { VAULT_CACERT: tls.caCert, VAULT_CLIENT_CERT: tls.clientCert });
    expect((outcome as ProviderError).message).toContain('VAULT_CLIENT_CERT and VAULT_CLIENT_KEY must be set together');
  });
});

describe('VAULT_ADDR=unix://', () => {
  it('talks to a Vault Agent style listener on a unix socket', async () => {
    const agent = await startFakeVault({ socketPath: join(tls.dir, 'agent.sock') });
    seed(agent);
    try {
      expectValue((await read(agent, {})).outcome);
      expect(agent.requests.map((r) => r.path)).toEqual(['sys/internal/ui/mounts/secret/tls', 'secret/tls']);
    } finally {
      await agent.close();
    }
  });
});
