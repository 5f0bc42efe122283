// detectChain in-process, against the loopback metadata fake: the order of the tiers, what decides, when
// nothing is probed, and the errors for zero or two clouds.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/cli/parse-config.js';
import { detectChain, detectTiers, type DetectInput } from '../../src/detect/detect.js';
import { UsageError } from '../../src/errors/errors.js';
import { createLogger } from '../../src/log/logger.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import { fetchAll, fixedTiers } from '../../src/resolve/fetch-all.js';
import { findProvider, openProviders } from '../../src/resolve/providers.js';
import { parseReference } from '../../src/refs/index.js';
import { startMetadataFake, type MetadataFake, type MetadataFakeOptions } from '../fakes/metadata.js';
import { closeAfterEachTest } from '../support/per-test.js';
import { memoryProvider, testContext } from '../support/memory-provider.js';

const track = closeAfterEachTest();
const fakeMetadata = async (options: MetadataFakeOptions): Promise<MetadataFake> =>
  track(await startMetadataFake(options));

// What the detect command gives detection, from argv and env as the CLI parses them.
function inputFor(argv: readonly string[], env: Record<string, string>): DetectInput {
  const config = parseConfig(argv, env);
  const flags = { localFile: config.localFile, vaultKeepToken: config.vaultKeepToken };
  return {
    providers: PROVIDERS,
    chain: config.providers,
    env,
    flags,
    metadataUrl: config.metadataUrl,
    budgetMs: config.detectBudgetMs,
  };
}

async function detect(args: readonly string[], env: Record<string, string>) {
  return detectChain(inputFor(['detect', ...args], env));
}

describe('detectChain', () => {
  it('uses an explicit --provider list as given and sends no probe', async () => {
    const fake = await fakeMetadata({ clouds: ['aws'] });
    const detection = await detect(['--provider', 'vault,local'], {
      SECRETS_EXEC_METADATA_URL: fake.url,
      VAULT_ADDR: 'http://127.0.0.1:1',
    });
    expect(detection).toMatchObject({ tiers: ['vault', 'local'], explicit: true });
    expect(fake.requests).toEqual([]);
  });

  it('orders the tiers Vault, the detected cloud, then the local store', async () => {
    const fake = await fakeMetadata({ clouds: ['oci'] });
    const detection = await detect(['--local-file', 'dev.yaml'], {
      SECRETS_EXEC_METADATA_URL: fake.url,
      VAULT_ADDR: 'http://127.0.0.1:8200',
    });
    expect(detection.tiers).toEqual(['vault', 'oci', 'local']);
    expect(detection.evidence.filter((e) => e.used).map((e) => e.source)).toEqual([
      'VAULT_ADDR',
      'probe GET /opc/v2/instance/',
      '--local-file',
    ]);
    expect(detection.error).toBeUndefined();
  });

  it('lets a platform variable decide without sending any probe', async () => {
    const fake = await fakeMetadata({ clouds: ['gcp'] });
    const detection = await detect([], { SECRETS_EXEC_METADATA_URL: fake.url, CE_JOB: 'nightly' });
    expect(detection.tiers).toEqual(['ibm']);
    expect(detection.evidence).toEqual([expect.objectContaining({ provider: 'ibm', source: 'CE_JOB', used: true })]);
    expect(fake.requests).toEqual([]);
  });

  it('shows an outranked hint as evidence that was not used', async () => {
    const detection = await detect([], {
      SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1',
      CE_APP: 'web',
      K_SERVICE: 'web',
    });
    expect(detection.tiers).toEqual(['ibm']);
    expect(detection.evidence.find((e) => e.source === 'K_SERVICE')).toMatchObject({
      provider: 'gcp',
      used: false,
      detail: expect.stringMatching(/outranked/),
    });
  });

  it('refuses to choose between two clouds found by their variables, naming both', async () => {
    const detection = await detect([], {
      SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:1',
      AWS_LAMBDA_FUNCTION_NAME: 'f',
      CE_JOB: 'j',
    });
    expect(detection.error).toMatch(
      new RegExp(
        'more than one cloud detected: aws \\(AWS_LAMBDA_FUNCTION_NAME\\) and ibm \\(CE_JOB\\); ' +
          'choose the chain with --provider',
      ),
    );
    expect(detection.tiers).toEqual([]);
  });

  it('refuses to choose between two clouds whose metadata services both answered', async () => {
    const fake = await fakeMetadata({ clouds: ['gcp', 'oci'] });
    const detection = await detect(['--local-file', 'dev.yaml'], { SECRETS_EXEC_METADATA_URL: fake.url });
    expect(detection.error).toMatch(
      /gcp \(GET \/computeMetadata\/v1\/ answered\) and oci \(GET \/opc\/v2\/instance\/ answered\)/,
    );
    expect(detection.tiers).not.toContain('gcp');
  });

  it('explains an empty chain by everything it checked', async () => {
    const fake = await fakeMetadata({ mode: 'refused' });
    const detection = await detect([], { SECRETS_EXEC_METADATA_URL: fake.url });
    expect(detection.tiers).toEqual([]);
    expect(detection.whyEmpty).toContain('VAULT_ADDR (not set)');
    expect(detection.whyEmpty).toContain('platform variables of aws, gcp, oci, ibm (none set)');
    expect(detection.whyEmpty).toContain(
      `metadata probes at ${fake.url} (aws: connection refused, gcp: connection refused, ` +
        'oci: connection refused, ibm: connection refused)',
    );
    expect(detection.whyEmpty).toContain('--local-file (not given)');
    // The advice is built from the descriptors' hints, in chain order.
    expect(detection.advice).toBe('pass --provider, set VAULT_ADDR or give --local-file');
    expect(detection.whyEmpty).toMatch(
      /; pass --provider, set VAULT_ADDR or give --local-file \(secrets-exec detect shows the evidence\)$/,
    );
  });

  it('rejects a metadata address that is not http://', async () => {
    await expect(detect([], { SECRETS_EXEC_METADATA_URL: 'https://169.254.169.254' })).rejects.toThrow(UsageError);
  });
});

describe('the detected chain, walked by fetchAll', () => {
  it('falls through to the local store with a warning for every reference that does', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', format: 'text', write: (l) => lines.push(l) });
    const vault = memoryProvider('vault', { present: 'from-vault' });
    const flags = { localFile: 'store.json', vaultKeepToken: false };
    const ctx = testContext({ log, flags, readFile: async () => Buffer.from('{"a": "local-a", "b": "local-b"}') });
    const run = openProviders({ providers: PROVIDERS, ctx, log });
    const results = await fetchAll(
      ['secret://a', 'secret://b', 'secret://present'].map((r) => parseReference(r)),
      {
        loadProvider: async (name) => (name === 'vault' ? vault : run.get(name)),
        providerForScheme: () => undefined,
        tiers: fixedTiers(['vault', 'local']),
        warnsOnFallThrough: (name) => findProvider(PROVIDERS, name).tier === 'development',
        strict: false,
        ctx,
        policy: { attempts: 1, baseMs: 1, capMs: 1, random: () => 0 },
        now: Date.now,
        log,
      },
    );
    expect(['secret://a', 'secret://b', 'secret://present'].map((k) => results.get(k)?.provider)).toEqual([
      'local',
      'local',
      'vault',
    ]);
    const fallbacks = lines.filter((l) => l.includes('falling back to local'));
    expect(fallbacks).toHaveLength(2);
    expect(fallbacks[0]).toMatch(
      /warn: NotFound in vault: falling back to local \(development store\) reference=secret:\/\/a/,
    );
    expect(lines.join('')).not.toMatch(/local-a|local-b|from-vault/);
  });

  it('serves secret:// from Vault without waiting for the cloud probes', async () => {
    const silent = await fakeMetadata({ mode: 'slow' });
    const env = { VAULT_ADDR: 'http://127.0.0.1:1', SECRETS_EXEC_METADATA_URL: silent.url };
    const input = inputFor(['--detect-budget', '2s', '--local-file', 'store.json', '--', 'true'], env);
    const tiers = detectTiers(input);
    let probed = false;
    const probing = tiers.whyEmpty().then(() => (probed = true));
    const vault = memoryProvider('vault', { db: 'from-vault' });
    const results = await fetchAll([parseReference('secret://db')], {
      loadProvider: async () => vault,
      providerForScheme: () => undefined,
      tiers,
      strict: false,
      ctx: testContext({ flags: input.flags }),
      policy: { attempts: 1, baseMs: 1, capMs: 1, random: () => 0 },
      now: Date.now,
      log: createLogger({ level: 'error', format: 'text', write: () => undefined }),
    });
    expect(results.get('secret://db')).toMatchObject({ ok: true, provider: 'vault' });
    expect(probed).toBe(false); // the probes were still running when Vault had answered
    await probing;
    expect(await tiers.at(1)).toBe('local'); // and the rest of the chain is there once they end
  });
});
