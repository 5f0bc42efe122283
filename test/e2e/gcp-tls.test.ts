// The https path to a private endpoint (SECRETS_EXEC_GCP_ENDPOINT): the fake Secret Manager serves TLS
// with a certificate from a test CA; the token travels only over the verified connection, and all the
// requests of a run share one HTTP/2 connection (or HTTP/1.1 where the endpoint has no HTTP/2).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleFakes, TEST_PROJECT, type GoogleFakes } from '../fakes/gcp/google.js';
import { generateTlsFiles, type TlsFiles } from '../fakes/vault-tls.js';
import { FIXTURES, runBinary } from '../support/run-binary.js';

const printEnv = `${FIXTURES}/print-env.sh`;
const refs = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`S${i}`, `gcp-sm://s${i}`]));
let tls: TlsFiles;
let fakes: GoogleFakes;

beforeAll(() => {
  tls = generateTlsFiles();
});
afterAll(() => tls.remove());
afterEach(() => fakes.close());

async function start(http1Only: boolean): Promise<void> {
  fakes = await startGoogleFakes({ tls: { cert: tls.read(tls.serverCert), key: tls.read(tls.serverKey), http1Only } });
  for (let i = 0; i < 5; i++) fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/s${i}`, `gcp-tls-VALUE-${i}`);
}

describe('secrets-exec with an https Secret Manager endpoint', () => {
  it(
    'verifies the endpoint with the CA of SECRETS_EXEC_CA_FILE ' + 'and sends every request over one HTTP/2 connection',
    async () => {
      await start(false);
      const result = await runBinary(['--', printEnv], {
        env: { ...fakes.keyFileEnv(), SECRETS_EXEC_CA_FILE: tls.caCert, ...refs },
      });
      expect(result.stderr).not.toMatch(/error|warn/);
      for (let i = 0; i < 5; i++) expect(result.stdout).toContain(`S${i}=gcp-tls-VALUE-${i}`);
      expect(fakes.sm.requests.map((r) => [r.auth, r.httpVersion])).toEqual(Array(5).fill(['ok', '2.0']));
      expect(fakes.sm.connections()).toBe(1);
    },
  );

  it('falls back to HTTP/1.1 when the endpoint does not speak HTTP/2', async () => {
    await start(true);
    const result = await runBinary(['--', printEnv], {
      env: { ...fakes.keyFileEnv(), SECRETS_EXEC_CA_FILE: tls.caCert, ...refs },
    });
    expect(result.stderr).not.toMatch(/error|warn/);
    expect(result.stdout).toContain('S4=gcp-tls-VALUE-4');
    expect(fakes.sm.requests.map((r) => [r.auth, r.httpVersion])).toEqual(Array(5).fill(['ok', '1.1']));
  });

  it('refuses an endpoint whose certificate it cannot verify, sending no token', async () => {
    await start(false);
    const result = await runBinary(['--', printEnv], { env: { ...fakes.keyFileEnv(), DB: 'gcp-sm://s0' } });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/DB: gcp-sm:\/\/s0 via gcp: Invalid: TLS: the certificate of the Secret Manager /);
    expect(result.stderr).toMatch(/the Secret Manager endpoint 127\.0\.0\.1:\d+ is not trusted/);
    expect(fakes.sm.requests).toHaveLength(0);
  });

  it("does not take NODE_EXTRA_CA_CERTS (the program's variable) for its own connections", async () => {
    await start(false);
    const result = await runBinary(['--', printEnv], {
      env: { ...fakes.keyFileEnv(), NODE_EXTRA_CA_CERTS: tls.caCert, DB: 'gcp-sm://s0' },
    });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/is not trusted \([A-Z_]+\): set SECRETS_EXEC_CA_FILE/);
  });
});
