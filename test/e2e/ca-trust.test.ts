// One CA order for every provider: each store's endpoint is made https:// by a loopback TLS front whose
// certificate a test CA signed. Without that CA the run fails Invalid, naming the host and the variable
// to set; it succeeds with each way of trusting it (SECRETS_EXEC_CA_FILE, SSL_CERT_FILE, the provider's
// own variable), and through an egress proxy's CONNECT tunnel as well. The key material lives in a temp
// dir that is removed after the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy } from '../fakes/forward-proxy.js';
import { startTlsFront } from '../fakes/tls-front.js';
import { generateTlsFiles, type TlsFiles } from '../fakes/vault-tls.js';
import { closeAfterEachTest } from '../support/per-test.js';
import { PROVIDER_SETUPS } from '../support/provider-setups.js';
import { FIXTURES, runBinary } from '../support/run-binary.js';

const track = closeAfterEachTest();
const printEnv = `${FIXTURES}/print-env.sh`;
let tls: TlsFiles;
beforeAll(() => {
  tls = generateTlsFiles();
});
afterAll(() => tls.remove());

// The variable that points each provider at its store, and the provider's own CA variable (if any).
const ENDPOINTS: Record<string, { variable: string; own?: string; hint: string }> = {
  vault: { variable: 'VAULT_ADDR', own: 'VAULT_CACERT', hint: 'VAULT_CACERT' },
  aws: { variable: 'AWS_ENDPOINT_URL', own: 'AWS_CA_BUNDLE', hint: 'AWS_CA_BUNDLE or SECRETS_EXEC_CA_FILE' },
  gcp: { variable: 'SECRETS_EXEC_GCP_ENDPOINT', hint: 'SECRETS_EXEC_CA_FILE' },
  oci: { variable: 'SECRETS_EXEC_OCI_ENDPOINT', hint: 'SECRETS_EXEC_CA_FILE' },
  ibm: { variable: 'SECRETS_MANAGER_URL', hint: 'SECRETS_EXEC_CA_FILE' },
};

const SETUPS = PROVIDER_SETUPS.filter((s) => s.name in ENDPOINTS);

async function startHttps(setup: (typeof SETUPS)[number]) {
  const running = await setup.start();
  track({ close: () => running.close() });
  const { variable } = ENDPOINTS[setup.name] as { variable: string };
  const front = track(
    await startTlsFront(running.env[variable] as string, {
      cert: tls.read(tls.serverCert),
      key: tls.read(tls.serverKey),
    }),
  );
  // OCI's setup shares its fake's port with SECRETS_EXEC_METADATA_URL; the metadata stays plain http.
  return { running, front, env: { ...running.env, [variable]: front.url } };
}

describe.each(SETUPS)('$name with an endpoint signed by a private CA', (setup) => {
  const { own, hint } = ENDPOINTS[setup.name] as { own?: string; hint: string };

  it('refuses it without the CA: Invalid, naming the host and the variable to set', async () => {
    const { env, front } = await startHttps(setup);
    const result = await runBinary(['--', printEnv], { env });
    expect(result.status).toBe(125);
    const line = result.stderr.split('\n').find((l) => l.includes('REF: ')) ?? result.stderr;
    expect(line).toMatch(new RegExp(`via ${setup.name}: Invalid: .*not trusted`));
    expect(line).toContain(front.hostPort);
    expect(line).toContain(hint);
  });

  const ways = ['SECRETS_EXEC_CA_FILE', 'SSL_CERT_FILE', ...(own ? [own] : [])];
  it.each(ways)('trusts it with %s', async (variable) => {
    const { env, running, front } = await startHttps(setup);
    const result = await runBinary(['--', printEnv], { env: { ...env, [variable]: tls.caCert } });
    // Every setup also has a local store, whose use is always a warning.
    const problems = result.stderr.split('\n').filter((l) => /: (error|warn): /.test(l));
    expect(problems.filter((l) => !/local development store/.test(l))).toEqual([]);
    expect(result.stdout).toContain(`REF=${running.value}`);
    expect(front.accepted()).toBeGreaterThan(0);
  });

  it('does not trust a different CA', async () => {
    const { env } = await startHttps(setup);
    const result = await runBinary(['--', printEnv], { env: { ...env, SECRETS_EXEC_CA_FILE: tls.otherCaCert } });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/Invalid: .*not trusted/);
  });

  it('reaches it through the CONNECT tunnel of HTTPS_PROXY', async () => {
    const proxy = track(await startForwardProxy());
    const { env, running, front } = await startHttps(setup);
    const result = await runBinary(['--', printEnv], {
      env: { ...env, SECRETS_EXEC_CA_FILE: tls.caCert, HTTPS_PROXY: proxy.url },
    });
    expect(result.stdout).toContain(`REF=${running.value}`);
    expect(proxy.log.filter((e) => e.method === 'CONNECT').map((e) => e.target)).toContain(front.hostPort);
  });

  it('says so when the proxy refuses the CONNECT for want of credentials (Invalid)', async () => {
    const proxy = track(await startForwardProxy({ credentials: { user: 'svc', password: 'right' } }));
    const { env } = await startHttps(setup);
    const wrong = proxy.authUrl.replace(':right@', ':hunter2@');
    const result = await runBinary(['--', printEnv], {
      env: { ...env, SECRETS_EXEC_CA_FILE: tls.caCert, HTTPS_PROXY: wrong },
    });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(
      new RegExp(`via ${setup.name}: Invalid: .*the proxy http://\\*\\*\\*@127\\.0\\.0\\.1:\\d+ asks`),
    );
    expect(result.stderr).not.toContain('hunter2');
    expect(proxy.log.some((e) => e.method === 'CONNECT' && e.status === 407)).toBe(true);
  });
});
