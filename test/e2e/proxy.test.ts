// Every provider through a loopback egress proxy (HTTP_PROXY for the plain-http fakes): the value
// resolves and the proxy saw each endpoint, token endpoints included; NO_PROXY sends requests direct;
// wrong proxy credentials and an unreachable proxy are clear errors that never show a password; metadata
// requests (detection, a metadata-server credential) go direct even with NO_PROXY empty.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startForwardProxy } from '../fakes/forward-proxy.js';
import { startGoogleFakes, TEST_PROJECT } from '../fakes/gcp/google.js';
import { IBM_TEST, startIbmFakes } from '../fakes/ibm/index.js';
import { startMetadataFake } from '../fakes/metadata.js';
import { closeAfterEachTest } from '../support/per-test.js';
import { PROVIDER_SETUPS, type ProviderSetup } from '../support/provider-setups.js';
import { FIXTURES, runBinary } from '../support/run-binary.js';

const track = closeAfterEachTest();
const printEnv = `${FIXTURES}/print-env.sh`;
const NETWORKED = PROVIDER_SETUPS.filter((s) => s.name !== 'local');
// The OCI setup points SECRETS_EXEC_METADATA_URL at its fake, which would make that port direct.
const NO_METADATA = { SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1' };

/** host:port of every endpoint a setup's environment names, a Google key file's token_uri included. */
function endpointsOf(env: Record<string, string>): string[] {
  const urls = Object.entries(env)
    .filter(([name, value]) => /^https?:\/\//.test(value) && name !== 'SECRETS_EXEC_METADATA_URL')
    .map(([, value]) => value);
  const keyFile = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (keyFile) urls.push(String((JSON.parse(readFileSync(keyFile, 'utf8')) as { token_uri: string }).token_uri));
  return [...new Set(urls.map((u) => new URL(u).host))];
}

async function start(setup: ProviderSetup) {
  const running = await setup.start();
  track({ close: () => running.close() });
  return running;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(NETWORKED)('$name through an egress proxy', (setup) => {
  it('resolves through the proxy, which sees every endpoint the run uses', async () => {
    const proxy = track(await startForwardProxy());
    const running = await start(setup);
    const env = { ...running.env, ...NO_METADATA, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' };
    const result = await runBinary(['--', printEnv], { env });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.stdout).toContain(`REF=${running.value}`);
    expect(proxy.served().sort()).toEqual(endpointsOf(running.env).sort());
  });

  it('goes direct to the hosts of NO_PROXY', async () => {
    const proxy = track(await startForwardProxy());
    const running = await start(setup);
    const env = { ...running.env, ...NO_METADATA, http_proxy: proxy.url, no_proxy: 'localhost,127.0.0.1' };
    const result = await runBinary(['--', printEnv], { env });
    expect(result.stdout).toContain(`REF=${running.value}`);
    expect(proxy.log).toEqual([]);
  });
});

describe('proxy failures (Vault)', () => {
  const vault = NETWORKED.find((s) => s.name === 'vault') as ProviderSetup;

  it('sends the credentials of the proxy URL, percent-decoded', async () => {
    const proxy = track(await startForwardProxy({ credentials: { user: 'svc', password: 'p@ss:w/rd' } }));
    const running = await start(vault);
    const result = await runBinary(['--', printEnv], { env: { ...running.env, HTTP_PROXY: proxy.authUrl } });
    expect(result.stdout).toContain(`REF=${running.value}`);
    expect(proxy.log.length).toBeGreaterThan(0);
    expect(proxy.log.filter((e) => e.status === 407)).toEqual([]);
  });

  it('says the proxy wants other credentials (Invalid), never showing the password', async () => {
    const proxy = track(await startForwardProxy({ credentials: { user: 'svc', password: 'right' } }));
    const running = await start(vault);
    const wrong = proxy.authUrl.replace(':right@', ':hunter2@');
    const result = await runBinary(['--', printEnv], { env: { ...running.env, HTTP_PROXY: wrong } });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/REF: vault:\/\/secret\/app\/db#password via vault: Invalid: /);
    expect(result.stderr).toMatch(/the proxy http:\/\/\*\*\*@127\.0\.0\.1:\d+ asks for other credentials \(407/);
    expect(result.stderr + result.stdout).not.toContain('hunter2');
    expect(proxy.log.length).toBeGreaterThan(0);
    expect(proxy.log.every((e) => e.status === 407)).toBe(true);
  });

  it('reports an unreachable proxy as Unavailable, naming it with its credentials masked', async () => {
    const running = await start(vault);
    const proxyUrl = `http://svc:hunter2@127.0.0.1:${await closedPort()}`;
    const result = await runBinary(['--', printEnv], { env: { ...running.env, HTTP_PROXY: proxyUrl } });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(
      /via vault: Unavailable: .*the proxy http:\/\/\*\*\*@127\.0\.0\.1:\d+ cannot be reached \(connection refused\)/,
    );
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  });
});

describe('metadata requests never go through the proxy', () => {
  it('detect probes the metadata address directly and shows the proxy masked', async () => {
    const proxy = track(await startForwardProxy({ credentials: { user: 'svc', password: 'hunter2' } }));
    const fake = track(await startMetadataFake({ clouds: ['gcp'] }));
    const env = { SECRETS_EXEC_METADATA_URL: fake.url, HTTP_PROXY: proxy.authUrl, NO_PROXY: '' };
    const result = await runBinary(['detect'], { env });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^chain: gcp$/m);
    expect(fake.requests).toHaveLength(4);
    expect(proxy.log).toEqual([]);
    expect(result.stdout).toMatch(/HTTP_PROXY\s+no\s+http:\/\/ requests go through http:\/\/\*\*\*@127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/proxy bypass\s+no\s+metadata probes \(127\.0\.0\.1:\d+\) .*go direct/);
    expect(result.stdout).not.toContain('hunter2');
  });

  it("Google's metadata-server credentials go direct, Secret Manager through the proxy", async () => {
    const proxy = track(await startForwardProxy());
    const fakes = track(await startGoogleFakes());
    fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/db`, 'metadata-path-value');
    const env = {
      METADATA_SERVER_DETECTION: 'ping-only',
      GCE_METADATA_HOST: fakes.metadata.host,
      SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: '',
      DB: 'gcp-sm://db',
    };
    const result = await runBinary(['--', printEnv], { env });
    expect(result.stdout).toContain('DB=metadata-path-value');
    expect(fakes.metadata.requests.length).toBeGreaterThan(0);
    expect(proxy.served()).toEqual([new URL(fakes.sm.url).host]);
  });

  it("IBM's VPC instance credentials go direct, Secrets Manager through the proxy", async () => {
    const proxy = track(await startForwardProxy());
    const fakes = track(await startIbmFakes());
    const { id } = fakes.sm.putSecret({ type: 'arbitrary', name: 'db', fields: { payload: 'vpc-path-value' } });
    const env = {
      SECRETS_MANAGER_URL: fakes.sm.url,
      SECRETS_MANAGER_AUTH_TYPE: 'vpc',
      SECRETS_MANAGER_IAM_PROFILE_CRN: IBM_TEST.profile.crn,
      SECRETS_EXEC_METADATA_URL: fakes.vpc.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: '',
      DB: `ibm-sm://${id}`,
    };
    const result = await runBinary(['--', printEnv], { env });
    expect(result.stdout).toContain('DB=vpc-path-value');
    expect(fakes.vpc.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(proxy.served()).toEqual([new URL(fakes.sm.url).host]);
  });

  it("Google's STS exchange (workload identity federation) goes through the proxy", async () => {
    const proxy = track(await startForwardProxy());
    const fakes = track(await startGoogleFakes());
    fakes.sm.addVersion(`projects/${TEST_PROJECT}/secrets/db`, 'sts-path-value');
    const env = {
      GOOGLE_APPLICATION_CREDENTIALS: fakes.externalAccountFile,
      GOOGLE_CLOUD_PROJECT: TEST_PROJECT,
      SECRETS_EXEC_GCP_ENDPOINT: fakes.sm.url,
      HTTP_PROXY: proxy.url,
      DB: 'gcp-sm://db',
    };
    const result = await runBinary(['--', printEnv], { env });
    expect(result.stdout).toContain('DB=sts-path-value');
    expect(proxy.served().sort()).toEqual([new URL(fakes.oauth.stsUrl).host, new URL(fakes.sm.url).host].sort());
  });
});
