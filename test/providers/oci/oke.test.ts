// OKE workload identity against a loopback proxymux over TLS (test CA): the service-account token is
// exchanged for a session token that the Secrets fake then verifies on every request.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFetched, type Outcome } from '../../../src/resolve/types.js';
import { startProxymuxFake, type ProxymuxFake } from '../../fakes/oci/proxymux.js';
import { startOciFake, VAULT, type OciFake } from '../../fakes/oci/secrets.js';
import { makeOciKeys, ociBaseEnv, type OciTestKeys } from '../../fakes/oci/test-env.js';
import { generateTlsFiles, type TlsFiles } from '../../fakes/vault-tls.js';
import { ref, resolveIn } from './context.js';

const SA_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fake-service-account.token';
let fake: OciFake;
let keys: OciTestKeys;
let tls: TlsFiles;
let proxymux: ProxymuxFake;
let secretId: string;

beforeAll(async () => {
  fake = await startOciFake();
  keys = makeOciKeys(fake);
  tls = generateTlsFiles();
  proxymux = await startProxymuxFake({ tls, identity: fake.identity, serviceAccountToken: SA_TOKEN });
  secretId = fake.putSecret(VAULT, 'pod-secret', 'pod-value');
  writeFileSync(join(keys.dir, 'token'), `${SA_TOKEN}\n`);
  writeFileSync(join(keys.dir, 'wrong-token'), 'not-the-token');
});
afterAll(async () => {
  await Promise.all([fake.close(), proxymux.close()]);
  keys.remove();
  tls.remove();
});

function okeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...ociBaseEnv(fake),
    SECRETS_EXEC_OCI_AUTH: 'oke_workload_identity',
    KUBERNETES_SERVICE_HOST: proxymux.host,
    KUBERNETES_SERVICE_PORT_PROXYMUX: proxymux.port,
    SECRETS_EXEC_OCI_KUBERNETES_TOKEN_FILE: join(keys.dir, 'token'),
    SECRETS_EXEC_OCI_KUBERNETES_CA_FILE: tls.caCert,
    ...extra,
  };
}

const SECRET = (): ReturnType<typeof ref> => ref(`oci-vault://${secretId}`);
const kindOf = (o: Outcome | undefined): string => (o === undefined ? 'none' : isFetched(o) ? 'fetched' : o.kind);

describe('ociProvider with OKE workload identity', () => {
  it('exchanges the service-account token at the proxymux and signs with the session key', async () => {
    const { outcomes } = await resolveIn(okeEnv(), [SECRET(), ref(`oci-vault://${VAULT}/pod-secret`)]);
    expect(outcomes.map((o) => (isFetched(o) ? o.value.reveal() : o.message))).toEqual(['pod-value', 'pod-value']);
    expect(fake.requests.map((r) => [r.auth, r.principal])).toEqual([
      ['ok', 'workload'],
      ['ok', 'workload'],
    ]);
    expect(proxymux.issued).toBe(1);
  });

  it('is Denied when the proxymux refuses the service-account token', async () => {
    fake.reset();
    const env = okeEnv({ SECRETS_EXEC_OCI_KUBERNETES_TOKEN_FILE: join(keys.dir, 'wrong-token') });
    const { outcomes } = await resolveIn(env, [SECRET()]);
    expect(kindOf(outcomes[0])).toBe('Denied');
    expect(proxymux.refusals).toContain('service-account token refused');
    expect(fake.count()).toBe(0);
  });

  it('does not trust a proxymux whose certificate another CA signed', async () => {
    fake.reset();
    const { outcomes } = await resolveIn(okeEnv({ SECRETS_EXEC_OCI_KUBERNETES_CA_FILE: tls.otherCaCert }), [SECRET()]);
    expect(kindOf(outcomes[0])).not.toBe('fetched');
    expect(fake.count()).toBe(0);
  });

  it('is Invalid outside a pod, and when the token file cannot be read', async () => {
    const outside = await resolveIn(okeEnv({ KUBERNETES_SERVICE_HOST: '' }), [SECRET()]);
    const notSet = expect.stringMatching(/KUBERNETES_SERVICE_HOST is not set/);
    expect(outside.outcomes[0]).toMatchObject({ kind: 'Invalid', message: notSet });
    const missingToken = okeEnv({ SECRETS_EXEC_OCI_KUBERNETES_TOKEN_FILE: '/nonexistent/token' });
    const noToken = await resolveIn(missingToken, [SECRET()]);
    const why = /cannot read the service-account token at \/nonexistent\/token \(ENOENT\)/;
    expect(noToken.outcomes[0]).toMatchObject({ kind: 'Invalid', message: expect.stringMatching(why) });
  });
});
