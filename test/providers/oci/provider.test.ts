// The OCI provider driven in-process against the loopback fake, which verifies every request's
// signature: each auth mode, by OCID and by name, versions and stages, and the error classes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import { ociProvider } from '../../../src/providers/oci/provider.js';
import type { Reference } from '../../../src/refs/index.js';
import { isFetched, type Outcome } from '../../../src/resolve/types.js';
import { generateInstanceIdentity } from '../../fakes/oci/instance-certs.js';
import type { InstanceIdentity } from '../../fakes/oci/instance.js';
import { startOciFake, VAULT, type OciFake } from '../../fakes/oci/secrets.js';
import {
  apiKeyEnv,
  configFileEnv,
  instancePrincipalEnv,
  makeOciKeys,
  ociBaseEnv,
  resourcePrincipalEnv,
  type OciTestKeys,
} from '../../fakes/oci/test-env.js';
import { makeContext, ref, resolveIn } from './context.js';

let fake: OciFake;
let keys: OciTestKeys;
let instance: InstanceIdentity;
let dbId: string;

beforeAll(async () => {
  fake = await startOciFake();
  keys = makeOciKeys(fake);
  instance = generateInstanceIdentity();
  fake.serveInstance(instance);
  fake.putSecret(VAULT, 'db', 'db-v1');
  dbId = fake.putSecret(VAULT, 'db', { user: 'app', password: 'db-v2' });
  fake.putSecret(VAULT, 'db', 'db-v3-pending', { pending: true });
});
afterAll(async () => {
  await fake.close();
  keys.remove();
});
afterEach(() => {
  fake.reset();
  instance.federationStatus = undefined;
});

const valueOf = (o: Outcome | undefined): string =>
  o && isFetched(o) ? o.value.reveal() : `failed: ${(o as ProviderError).kind}`;
const DB = (): Reference => ref(`oci-vault://${dbId}`);
const DB_JSON = JSON.stringify({ user: 'app', password: 'db-v2' });
const failure = (o: Outcome | undefined): ProviderError => {
  if (!o || isFetched(o)) throw new Error('expected a failure');
  return o;
};

describe('ociProvider auth modes', () => {
  it.each([
    ['an API key from OCI_CLI_* variables', () => apiKeyEnv(fake, keys), 'api_key'],
    ['an API key from the config file', () => configFileEnv(fake, keys), 'api_key'],
    ['a resource principal v2.2 (RPST and key as values)', () => resourcePrincipalEnv(fake, keys), 'resource'],
    ['an instance principal (metadata certificate, federation)', () => instancePrincipalEnv(fake), 'instance'],
  ])('reads by OCID and by name signed with %s', async (_, env, principal) => {
    const { outcomes } = await resolveIn(env(), [ref(`oci-vault://${dbId}`), ref(`oci-vault://${VAULT}/db`)]);
    expect(outcomes.map(valueOf)).toEqual([DB_JSON, DB_JSON]);
    expect(fake.requests.map((r) => [r.method, r.auth, r.principal])).toEqual([
      ['GET', 'ok', principal],
      ['POST', 'ok', principal],
    ]);
  });

  it("reads the resource principal's RPST and key from files named by absolute paths", async () => {
    const env = resourcePrincipalEnv(fake, keys);
    const rpst = join(keys.dir, 'rpst');
    const pem = join(keys.dir, 'rp.pem');
    writeFileSync(rpst, env.OCI_RESOURCE_PRINCIPAL_RPST ?? '');
    writeFileSync(pem, env.OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM ?? '');
    const fromFiles = { ...env, OCI_RESOURCE_PRINCIPAL_RPST: rpst, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: pem };
    const { outcomes } = await resolveIn(fromFiles, [ref(`oci-vault://${VAULT}/db?version=1`)]);
    expect(outcomes.map(valueOf)).toEqual(['db-v1']);
  });

  it('chooses the resource principal over an API key when OCI_RESOURCE_PRINCIPAL_VERSION is set', async () => {
    const { lines } = await resolveIn({ ...apiKeyEnv(fake, keys), ...resourcePrincipalEnv(fake, keys) }, [DB()]);
    expect(fake.requests[0]?.principal).toBe('resource');
    expect(lines.join('\n')).toContain('authenticating with resource_principal');
  });

  it('falls back to the instance principal when there is no key and no config file', async () => {
    const { outcomes, lines } = await resolveIn(ociBaseEnv(fake), [DB()]);
    expect(isFetched(outcomes[0] as Outcome)).toBe(true);
    expect(fake.requests[0]?.principal).toBe('instance');
    const said = 'no OCI config file at /nonexistent-home/.oci/config: using the instance principal';
    expect(lines.join('\n')).toContain(said);
  });

  it('uses the profile named by OCI_CLI_PROFILE, and a refused key is Denied naming the profile', async () => {
    const { outcomes } = await resolveIn({ ...configFileEnv(fake, keys), OCI_CLI_PROFILE: 'OTHER' }, [DB()]);
    const error = failure(outcomes[0]);
    expect(error.kind).toBe('Denied');
    expect(error.message).toContain(`signed with api_key (profile OTHER of ${keys.configFile})`);
    expect(fake.requests[0]?.auth).toMatch(/unknown API key/);
  });

  it('fetches one session token for many parallel references of an instance principal', async () => {
    const before = instance.issued;
    const refs = Array.from({ length: 8 }, (_, i) => ref(`oci-vault://${dbId}?version=${(i % 3) + 1}`));
    const { outcomes } = await resolveIn(instancePrincipalEnv(fake), refs);
    expect(outcomes.filter(isFetched)).toHaveLength(8);
    expect(instance.issued - before).toBe(1);
  });

  it("is Denied when the auth service refuses the instance's certificate", async () => {
    instance.federationStatus = 401;
    const { outcomes } = await resolveIn(instancePrincipalEnv(fake), [DB()]);
    const error = failure(outcomes[0]);
    expect(error.kind).toBe('Denied');
    expect(error.message).toMatch(/instance_principal/);
    expect(fake.count()).toBe(0);
  });

  it.each([
    ['an unknown SECRETS_EXEC_OCI_AUTH', { SECRETS_EXEC_OCI_AUTH: 'password' }, /OCI_AUTH=password is not an auth/],
    [
      'an incomplete env-form API key',
      { OCI_CLI_USER: 'ocid1.user.oc1..x' },
      /OCI_CLI_TENANCY, OCI_CLI_FINGERPRINT, OCI_CLI_KEY_FILE or OCI_CLI_KEY_CONTENT not set/,
    ],
    [
      'a missing config file',
      { OCI_CLI_CONFIG_FILE: '/nonexistent/oci-config' },
      /cannot read the OCI config file at \/nonexistent\/oci-config \(ENOENT\)/,
    ],
    ['a resource principal version other than 2.2', { OCI_RESOURCE_PRINCIPAL_VERSION: '1.1' }, /supports 2.2/],
  ])('is Invalid for %s', async (_, extra, message) => {
    const { outcomes } = await resolveIn({ ...ociBaseEnv(fake), ...extra }, [DB()]);
    const error = failure(outcomes[0]);
    expect(error.kind).toBe('Invalid');
    expect(error.message).toMatch(message);
    expect(fake.count()).toBe(0);
  });
});

describe('ociProvider references', () => {
  it('selects a version by ?version= and by ?stage=, and reports the version and its stages', async () => {
    const byName = `oci-vault://${VAULT}/db?stage=pending`;
    const texts = [`oci-vault://${dbId}?version=1`, byName, `oci-vault://${dbId}?stage=PREVIOUS`];
    const refs = texts.map(ref);
    const { outcomes } = await resolveIn(apiKeyEnv(fake, keys), refs);
    expect(outcomes.map(valueOf)).toEqual(['db-v1', 'db-v3-pending', 'db-v1']);
    const versions = outcomes.map((o) => (isFetched(o) ? o.version : ''));
    expect(versions).toEqual(['1 (PREVIOUS)', '3 (PENDING, LATEST)', '1 (PREVIOUS)']);
    expect(fake.requests.map((r) => r.query)).toEqual([
      { versionNumber: '1' },
      { secretName: 'db', vaultId: VAULT, stage: 'PENDING' },
      { stage: 'PREVIOUS' },
    ]);
  });

  it('fetches distinct references in parallel over one session', async () => {
    fake.latencyMs = 100;
    const refs = Array.from({ length: 8 }, (_, i) => ref(`oci-vault://${dbId}?version=${(i % 3) + 1}`));
    const { outcomes } = await resolveIn(apiKeyEnv(fake, keys), refs);
    expect(outcomes.every(isFetched)).toBe(true);
    expect(fake.peakInFlight).toBeGreaterThanOrEqual(4);
  });

  it('maps secret://NAME to the secret NAME in SECRETS_EXEC_OCI_VAULT_ID, and needs that variable', () => {
    const run = ociProvider.create(makeContext({ SECRETS_EXEC_OCI_VAULT_ID: VAULT }).ctx);
    expect(run.mapGeneric('db')).toMatchObject({ scheme: 'oci-vault', path: `${VAULT}/db` });
    expect(() => ociProvider.create(makeContext({}).ctx).mapGeneric('db')).toThrow(/needs SECRETS_EXEC_OCI_VAULT_ID/);
    expect(() => run.mapGeneric('a/b')).toThrow(ProviderError);
  });
});

describe('ociProvider errors', () => {
  it('says "not found, or this principal may not read it" for a missing and a denied secret alike', async () => {
    const denied = fake.putSecret(VAULT, 'forbidden', 'never-shown');
    fake.deny(denied);
    const refs = [ref('oci-vault://ocid1.vaultsecret.oc1.iad.missing'), ref(`oci-vault://${denied}`)];
    const { outcomes } = await resolveIn(apiKeyEnv(fake, keys), refs);
    for (const outcome of outcomes) {
      const error = failure(outcome);
      expect(error.kind).toBe('NotFound');
      expect(error.message).toContain('not found, or this principal may not read it (policy: `read secret-bundles`)');
      expect(error.message).toContain('NotAuthorizedOrNotFound');
    }
  });

  it.each([
    ['throttle', 'Unavailable', /OCI answered 429/],
    ['internal', 'Unavailable', /OCI answered 500/],
    ['unauthenticated', 'Denied', /signature \(NotAuthenticated\) signed with resource_principal/],
    ['not-json', 'Invalid', /not JSON/],
    ['not-base64', 'Invalid', /not base64/],
  ] as const)('classifies an injected %s as %s', async (mode, kind, message) => {
    fake.inject(mode);
    const { outcomes } = await resolveIn(resourcePrincipalEnv(fake, keys), [DB()]);
    const error = failure(outcomes[0]);
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  it('is Denied when the resource principal session token has expired', async () => {
    const { outcomes } = await resolveIn(resourcePrincipalEnv(fake, keys, { ttlSeconds: -60 }), [DB()]);
    expect(failure(outcomes[0]).kind).toBe('Denied');
    expect(fake.requests[0]?.auth).toBe('session token expired');
  });

  it('says a value that is not UTF-8 is not text, without showing it', async () => {
    const binary = fake.putSecret(VAULT, 'binary', Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    const { outcomes } = await resolveIn(apiKeyEnv(fake, keys), [ref(`oci-vault://${binary}`)]);
    expect(failure(outcomes[0])).toMatchObject({ kind: 'Invalid', message: expect.stringMatching(/not UTF-8 text/) });
  });

  it("is a Timeout when the run's deadline aborts a slow answer", async () => {
    fake.latencyMs = 2_000;
    const { ctx } = makeContext(apiKeyEnv(fake, keys));
    const abort = new AbortController();
    const run = ociProvider.create({ ...ctx, signal: abort.signal });
    const slow = run.resolve([DB()]);
    setTimeout(() => abort.abort(), 200);
    const outcomes = await slow;
    await run.close();
    expect(failure(outcomes[0]).kind).toBe('Timeout');
  });

  it('is Unavailable when nothing listens at the endpoint', async () => {
    const env = { ...apiKeyEnv(fake, keys), SECRETS_EXEC_OCI_ENDPOINT: 'http://127.0.0.1:1' };
    const { outcomes } = await resolveIn(env, [DB()]);
    expect(failure(outcomes[0])).toMatchObject({ kind: 'Unavailable', message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('never puts a value or a key into an error or a log line', async () => {
    fake.inject('unauthenticated', 1);
    const env = apiKeyEnv(fake, keys);
    const { outcomes, lines } = await resolveIn(env, [DB(), ref(`oci-vault://${VAULT}/db?version=1`)]);
    const text = [...lines, ...outcomes.map((o) => (isFetched(o) ? String(o.value) : o.message))].join('\n');
    const keyLine = keys.apiKey.privatePem.split('\n')[1] ?? 'x';
    for (const secret of ['db-v1', 'db-v2', keyLine]) expect(text).not.toContain(secret);
  });
});
