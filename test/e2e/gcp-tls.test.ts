// The https path to a private endpoint (SECRETS_EXEC_GCP_ENDPOINT): the fake Secret Manager serves TLS
// with a certificate from a test CA; the token travels only over the verified connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleFakes, TEST_PROJECT, type GoogleFakes } from '../fakes/gcp/google.js';
import { generateTlsFiles, type TlsFiles } from '../fakes/vault-tls.js';
import { FIXTURES, runBinary } from '../support/run-binary.js';

let tls: TlsFiles;
let fakes: GoogleFakes;
beforeAll(async () => {
  tls = generateTlsFiles();
  fakes = await startGoogleFakes({ tls: { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey) } });
  fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/db`, 'gcp-tls-VALUE');
});
afterAll(async () => {
  await fakes.close();
  tls.remove();
});

describe('secrets-exec with an https Secret Manager endpoint', () => {
  it('verifies the endpoint with the CA Node.js is given, and sends the token over it', async () => {
    const env = { ...fakes.keyFileEnv(), NODE_EXTRA_CA_CERTS: tls.caCert, DB: 'gcp-sm://db' };
    const result = await runBinary(['--', `${FIXTURES}/print-env.sh`], { env });
    expect(result.stderr).not.toMatch(/error|warn/);
    expect(result.stdout).toContain('DB=gcp-tls-VALUE');
    expect(fakes.sm.requests.map((r) => r.auth)).toEqual(['ok']);
  });

  it('refuses an endpoint whose certificate it cannot verify, sending no token', async () => {
    const before = fakes.sm.requests.length;
    const result = await runBinary(['--', `${FIXTURES}/print-env.sh`], { env: { ...fakes.keyFileEnv(), DB: 'gcp-sm://db' } });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/DB: gcp-sm:\/\/db via gcp: Invalid: TLS: the Secret Manager endpoint's certificate is not trusted/);
    expect(fakes.sm.requests.length).toBe(before);
  });
});
