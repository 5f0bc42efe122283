// `secrets-exec detect` as a process, against the loopback metadata fake impersonating each cloud: the
// chain it prints, the evidence and probe times, the JSON form, the exit status, the budget on a silent
// metadata address, and the ambiguity error. SECRETS_EXEC_METADATA_URL always points at the fake.
import { describe, expect, it } from 'vitest';
import { CLOUDS, startMetadataFake, type MetadataFake, type MetadataFakeOptions } from '../fakes/metadata.js';
import { closeAfterEachTest } from '../support/per-test.js';
import { runBinary } from '../support/run-binary.js';

const track = closeAfterEachTest();
const fakeMetadata = async (options: MetadataFakeOptions): Promise<MetadataFake> =>
  track(await startMetadataFake(options));

interface JsonDetection {
  chain: string[];
  explicit: boolean;
  evidence: Array<{ provider: string; source: string; used: boolean; detail: string; ms?: number }>;
  error?: string;
}

async function detectJson(fake: MetadataFake, args: readonly string[] = [], env: Record<string, string> = {}) {
  const result = await runBinary(['detect', '--log-format', 'json', ...args], {
    env: { SECRETS_EXEC_METADATA_URL: fake.url, ...env },
  });
  return { result, detection: JSON.parse(result.stdout) as JsonDetection };
}

describe('secrets-exec detect', () => {
  it.each(CLOUDS)(
    'finds %s by its metadata service, among services that answer 200 to foreign paths',
    async (cloud) => {
      const fake = await fakeMetadata({ clouds: [cloud], foreign: 200 });
      const { result, detection } = await detectJson(fake);
      expect(result.status).toBe(0);
      expect(detection.chain).toEqual([cloud]);
      const probes = detection.evidence.filter((e) => e.source.startsWith('probe '));
      expect(probes.map((p) => p.provider)).toEqual(['aws', 'gcp', 'oci', 'ibm']);
      expect(probes.filter((p) => p.used).map((p) => p.provider)).toEqual([cloud]);
      for (const p of probes) expect(p.ms).toEqual(expect.any(Number));
      expect(fake.requests).toHaveLength(4);
      // The AWS session token and the IBM identity token (a JWT) the fake handed out are never shown.
      expect(result.stdout + result.stderr).not.toMatch(/AQAEA|eyJ/);
    },
  );

  it("prints the chain and a table of evidence with each probe's time as text", async () => {
    const fake = await fakeMetadata({ clouds: ['gcp'] });
    const result = await runBinary(['detect', '--local-file', 'dev.yaml'], {
      env: { SECRETS_EXEC_METADATA_URL: fake.url, VAULT_ADDR: 'http://127.0.0.1:8200' },
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('chain: vault → gcp → local');
    expect(lines[1]).toMatch(/^PROVIDER\s+EVIDENCE\s+USED\s+DETAIL\s+TIME$/);
    expect(result.stdout).toMatch(/^vault\s+VAULT_ADDR\s+yes\s+the Vault address is set$/m);
    expect(result.stdout).toMatch(
      new RegExp(
        '^gcp\\s+probe GET \\/computeMetadata\\/v1\\/\\s+yes\\s+' +
          'metadata server answered with Metadata-Flavor: Google\\s+\\d+ ms$',
        'm',
      ),
    );
    expect(result.stdout).toMatch(/^aws\s+probe PUT \/latest\/api\/token\s+no\s+not AWS: HTTP 404\s+\d+ ms$/m);
    expect(result.stdout).toMatch(/^local\s+--local-file\s+yes/m);
  });

  it.each([
    ['wrong headers', { clouds: ['aws', 'gcp', 'oci', 'ibm'], mode: 'wrong-headers' }],
    ['200 for everything', { mode: 'ok-for-everything' }],
    ['refused connections', { mode: 'refused' }],
  ] as const)('finds no cloud behind %s and exits 125 with no chain', async (_, options) => {
    const fake = await fakeMetadata(options);
    const { result, detection } = await detectJson(fake);
    expect(result.status).toBe(125);
    expect(detection.chain).toEqual([]);
    expect(detection.evidence.filter((e) => e.source.startsWith('probe ')).every((e) => !e.used)).toBe(true);
  });

  it('stops probing a silent metadata address at the budget and still answers', async () => {
    const fake = await fakeMetadata({ clouds: ['aws'], mode: 'slow' });
    // A budget long enough that every probe connects even on a loaded machine; the fake never answers.
    const { result, detection } = await detectJson(fake, ['--detect-budget', '1s', '--local-file', 'dev.yaml']);
    expect(result.signal).toBeNull();
    expect(result.status).toBe(0);
    expect(detection.chain).toEqual(['local']);
    const probes = detection.evidence.filter((e) => e.source.startsWith('probe '));
    expect(probes.map((p) => p.detail)).toEqual(Array(4).fill('no answer within 1000 ms'));
    // Every probe reached the fake, and the client hung up on each before an answer came.
    expect(fake.requests).toHaveLength(4);
    await expect.poll(() => fake.requests.every((r) => r.clientLeft)).toBe(true);
  });

  it('names both clouds when two metadata services answer, and exits 125', async () => {
    const fake = await fakeMetadata({ clouds: ['aws', 'oci'] });
    const { result, detection } = await detectJson(fake);
    expect(result.status).toBe(125);
    expect(detection.error).toMatch(/more than one cloud detected: aws \(.+\) and oci \(.+\)/);
    expect(JSON.parse(result.stderr)).toMatchObject({
      level: 'error',
      event: 'detect.ambiguous',
      msg: detection.error,
    });
  });

  it.each([
    ['AWS_LAMBDA_FUNCTION_NAME', 'aws'],
    ['ECS_CONTAINER_METADATA_URI_V4', 'aws'],
    ['CLOUD_RUN_JOB', 'gcp'],
    ['OCI_RESOURCE_PRINCIPAL_VERSION', 'oci'],
    ['CE_APP', 'ibm'],
  ])('lets %s decide for %s without sending a probe', async (variable, cloud) => {
    const fake = await fakeMetadata({ clouds: ['aws', 'gcp', 'oci', 'ibm'] });
    const { result, detection } = await detectJson(fake, [], { [variable]: 'set-by-the-platform' });
    expect(result.status).toBe(0);
    expect(detection.chain).toEqual([cloud]);
    expect(detection.evidence).toEqual([expect.objectContaining({ provider: cloud, source: variable, used: true })]);
    expect(fake.requests).toEqual([]);
  });

  it('shows which variable decided but never its value', async () => {
    const fake = await fakeMetadata({ mode: 'refused' });
    const result = await runBinary(['detect'], {
      env: { SECRETS_EXEC_METADATA_URL: fake.url, IBM_CLOUD_APIKEY: 'ibm-api-key-value-0123456789' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ibm\s+IBM_CLOUD_APIKEY\s+yes\s+an IBM Cloud API key was given/m);
    expect(result.stdout + result.stderr).not.toContain('ibm-api-key-value-0123456789');
  });

  it("names both clouds when two platforms' variables are set", async () => {
    const fake = await fakeMetadata({ mode: 'refused' });
    const result = await runBinary(['detect'], {
      env: { SECRETS_EXEC_METADATA_URL: fake.url, CE_JOB: 'j', CLOUD_RUN_JOB: 'k' },
    });
    expect(result.status).toBe(125);
    expect(result.stdout).toContain('chain: (undecided: more than one cloud)');
    expect(result.stdout).toMatch(/error: more than one cloud detected: gcp \(CLOUD_RUN_JOB\) and ibm \(CE_JOB\)/);
  });

  it('uses an explicit --provider without probing', async () => {
    const fake = await fakeMetadata({ clouds: ['aws'] });
    const { result, detection } = await detectJson(fake, [], { SECRETS_EXEC_PROVIDER: 'gcp,local' });
    expect(result.status).toBe(0);
    expect(detection).toMatchObject({ chain: ['gcp', 'local'], explicit: true });
    expect(fake.requests).toEqual([]);
  });

  it('refuses a metadata address that is not http:// with exit 125', async () => {
    const result = await runBinary(['detect'], { env: { SECRETS_EXEC_METADATA_URL: 'https://127.0.0.1:1' } });
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/SECRETS_EXEC_METADATA_URL: 'https:\/\/127\.0\.0\.1:1' must be an http:\/\/ URL/);
  });
});
