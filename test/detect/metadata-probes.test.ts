// The metadata probes against the loopback fake: each recognises its own cloud and nothing else, and all
// of them stop at the budget.
import { afterEach, describe, expect, it } from 'vitest';
import { parseMetadataUrl, probeMetadata, type ProbeOutcome } from '../../src/detect/metadata-probes.js';
import { UsageError } from '../../src/errors/errors.js';
import { platformTable } from '../../src/detect/detect.js';
import { PROVIDERS } from '../../src/providers/registry.js';

const PLATFORMS = platformTable(PROVIDERS);
import { CLOUDS, startMetadataFake, type MetadataFake, type MetadataFakeOptions } from '../fakes/metadata.js';

const fakes: MetadataFake[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function probeWith(
  options: MetadataFakeOptions,
  budgetMs = 2_000,
): Promise<{ fake: MetadataFake; outcomes: ProbeOutcome[] }> {
  const fake = await startMetadataFake(options);
  fakes.push(fake);
  const outcomes = await probeMetadata({ base: parseMetadataUrl(fake.url), budgetMs, platforms: PLATFORMS });
  return { fake, outcomes };
}

const found = (outcomes: readonly ProbeOutcome[]): string[] => outcomes.filter((o) => o.found).map((o) => o.provider);

describe('probeMetadata', () => {
  it.each(CLOUDS)('recognises %s from its own answer even when it answers 200 to every other path', async (cloud) => {
    const { fake, outcomes } = await probeWith({ clouds: [cloud], foreign: 200 });
    expect(found(outcomes)).toEqual([cloud]);
    // One request per cloud, and the fake accepted the impersonated cloud's authentication.
    expect(fake.requests).toHaveLength(PLATFORMS.length);
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
  });

  it.each(CLOUDS)("rejects a %s answer that lacks the vendor's mark", async (cloud) => {
    const { outcomes } = await probeWith({ clouds: [cloud], mode: 'wrong-headers' });
    expect(found(outcomes)).toEqual([]);
    expect(outcomes.find((o) => o.provider === cloud)?.detail).toMatch(/^not .+: (no |the body)/);
  });

  it('rejects a server that answers 200 to everything', async () => {
    const { fake, outcomes } = await probeWith({ mode: 'ok-for-everything' });
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(found(outcomes)).toEqual([]);
  });

  it('finds every cloud that answers, so that the caller can refuse to guess', async () => {
    const { outcomes } = await probeWith({ clouds: ['aws', 'ibm'] });
    expect(found(outcomes)).toEqual(['aws', 'ibm']);
  });

  it('reports a refused connection for every probe', async () => {
    const { outcomes } = await probeWith({ mode: 'refused' });
    expect(outcomes.map((o) => o.detail)).toEqual(Array(PLATFORMS.length).fill('connection refused'));
  });

  it('gives up on a silent service at the budget and closes every socket', async () => {
    const { fake, outcomes } = await probeWith({ clouds: ['gcp'], mode: 'slow' }, 150);
    expect(outcomes.map((o) => o.detail)).toEqual(Array(PLATFORMS.length).fill('no answer within 150 ms'));
    await expect.poll(() => fake.requests.filter((r) => r.clientLeft).length).toBe(PLATFORMS.length);
  });

  it("sends each vendor's documented request and no forwarding header", async () => {
    const { fake } = await probeWith({});
    const byPath = Object.fromEntries(fake.requests.map((r) => [r.path, r]));
    expect(byPath['/latest/api/token']).toMatchObject({
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
    });
    expect(byPath['/computeMetadata/v1/']).toMatchObject({ method: 'GET', headers: { 'metadata-flavor': 'Google' } });
    expect(byPath['/opc/v2/instance/']).toMatchObject({ method: 'GET', headers: { authorization: 'Bearer Oracle' } });
    expect(byPath['/instance_identity/v1/token?version=2022-03-01']).toMatchObject({
      method: 'PUT',
      headers: { 'metadata-flavor': 'ibm' },
      body: '{"expires_in":60}',
    });
    expect(fake.requests.some((r) => 'x-forwarded-for' in r.headers || 'forwarded' in r.headers)).toBe(false);
  });

  it('keeps a path prefix of the metadata address', async () => {
    const fake = await startMetadataFake({ clouds: ['gcp'] });
    fakes.push(fake);
    const outcomes = await probeMetadata({
      base: parseMetadataUrl(`${fake.url}/prefix/`),
      budgetMs: 2_000,
      platforms: PLATFORMS,
    });
    expect(fake.requests.map((r) => r.path)).toContain('/prefix/computeMetadata/v1/');
    expect(found(outcomes)).toEqual([]); // the fake owns /computeMetadata/, not /prefix/…
  });

  it('never puts a response body into a detail', async () => {
    const { outcomes } = await probeWith({ clouds: ['ibm'], foreign: 200 });
    for (const o of outcomes) expect(o.detail).not.toMatch(/eyJ|access_token|AQAEA/);
  });
});

describe('parseMetadataUrl', () => {
  it.each([
    [undefined, 'http://169.254.169.254/'],
    ['', 'http://169.254.169.254/'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
  ])('reads %j as %s', (text, href) => {
    expect(parseMetadataUrl(text).href).toBe(href);
  });

  it.each(['https://169.254.169.254', 'not a url', 'file:///etc/passwd'])(
    'refuses %j with a usage error that names the variable',
    (text) => {
      expect(() => parseMetadataUrl(text)).toThrow(UsageError);
      expect(() => parseMetadataUrl(text)).toThrow(/SECRETS_EXEC_METADATA_URL/);
    },
  );
});
