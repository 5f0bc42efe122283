// The platform variable table and the rule that a hint never outvotes a platform variable.
import { describe, expect, it } from 'vitest';
import { findPlatformVariables, selectDecidingFindings, providersOf } from '../../src/detect/platform-signals.js';
import { platformTable } from '../../src/detect/detect.js';
import { PROVIDERS } from '../../src/providers/registry.js';

const PLATFORMS = platformTable(PROVIDERS);

const decide = (env: Record<string, string>): string[] =>
  providersOf(selectDecidingFindings(findPlatformVariables(env, PLATFORMS)));

describe('the platform table of the registry', () => {
  it('has a platform for every cloud of the registry, and for nothing else', () => {
    const clouds = PROVIDERS.filter((p) => p.tier === 'cloud').map((p) => p.name);
    expect(PLATFORMS.map((p) => p.provider).sort()).toEqual([...clouds].sort());
    expect(PROVIDERS.filter((p) => p.tier !== 'cloud' && p.platform !== undefined)).toEqual([]);
  });

  it('names a source for every variable and every probe, and no variable twice', () => {
    const all = PLATFORMS.flatMap((p) => p.variables);
    expect(new Set(all.map((v) => v.env)).size).toBe(all.length);
    for (const v of all) expect(v.source).toMatch(/^https:\/\//);
    for (const p of PLATFORMS) expect(p.probe.source).toMatch(/^https:\/\//);
  });

  it('gives every cloud at least one variable its platform sets', () => {
    for (const p of PLATFORMS) expect(p.variables.some((v) => v.weight === 'platform')).toBe(true);
  });
});

describe('findPlatformVariables', () => {
  it.each(PLATFORMS.flatMap((p) => p.variables.map((v) => [v.env, p.provider] as const)))(
    'maps %s to %s',
    (env, provider) => {
      expect(findPlatformVariables({ [env]: 'x' }, PLATFORMS)).toEqual([expect.objectContaining({ env, provider })]);
    },
  );

  it('ignores a variable that is set but empty', () => {
    expect(findPlatformVariables({ AWS_LAMBDA_FUNCTION_NAME: '', K_SERVICE: '' }, PLATFORMS)).toEqual([]);
  });
});

describe('selectDecidingFindings', () => {
  it.each([
    // Code Engine applications also carry Knative's K_SERVICE.
    ["IBM Code Engine over Knative's K_SERVICE", { CE_APP: 'app', K_SERVICE: 'app', K_REVISION: 'app-00001' }, ['ibm']],
    [
      'a Lambda function over a leftover GOOGLE_CLOUD_PROJECT',
      { AWS_LAMBDA_FUNCTION_NAME: 'f', GOOGLE_CLOUD_PROJECT: 'p' },
      ['aws'],
    ],
    ['a Cloud Run service by K_SERVICE alone', { K_SERVICE: 'svc' }, ['gcp']],
    ['an IBM API key alone', { IBM_CLOUD_APIKEY: 'k' }, ['ibm']],
    ['two hints of two clouds', { GOOGLE_CLOUD_PROJECT: 'p', IBM_CLOUD_APIKEY: 'k' }, ['gcp', 'ibm']],
    [
      'two platforms of two clouds',
      { ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/x', OCI_RESOURCE_PRINCIPAL_VERSION: '2.2' },
      ['aws', 'oci'],
    ],
    ['nothing', { HOME: '/root' }, []],
  ])('decides %s', (_, env, providers) => {
    expect(decide(env)).toEqual(providers);
  });
});
