// From a reference to the version's resource name and URL, and the settings that choose the endpoint:
// every contradiction or unusable setting is Invalid and says what to write instead.
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import { accessUrl, addressOf, resourceName } from '../../../src/providers/gcp/names.js';
import { readSettings } from '../../../src/providers/gcp/settings.js';
import { parseReference } from '../../../src/refs/index.js';
import { testContext } from '../../support/memory-provider.js';

const address = (text: string): ReturnType<typeof addressOf> => addressOf(parseReference(text));

describe('addressOf and resourceName', () => {
  it.each([
    ['gcp-sm://s', 'dflt', 'projects/dflt/secrets/s/versions/latest'],
    ['gcp-sm://p/s?version=3', 'dflt', 'projects/p/secrets/s/versions/3'],
    ['gcp-sm://s?project=p&location=us-east4', 'dflt', 'projects/p/locations/us-east4/secrets/s/versions/latest'],
    ['gcp-sm://projects/p/locations/eu/secrets/s/versions/2', 'dflt', 'projects/p/locations/eu/secrets/s/versions/2'],
  ])('%s is %s', (text, project, name) => {
    const a = address(text);
    expect(resourceName(a, a.project ?? project)).toBe(name);
  });

  it.each([
    ['gcp-sm://p/s?project=q', /the name gives project p but \?project=q names another/],
    ['gcp-sm://projects/p/locations/eu/secrets/s?location=us', /the name gives location eu but \?location=us/],
    ['gcp-sm://s?version=0', /version '0' is not valid/],
    ['gcp-sm://s?version=prod', /versions are numbers \(1, 2, …\) or latest/],
    ['gcp-sm://s?location=Europe', /'Europe' is not a Google location/],
  ])('refuses %s', (text, message) => {
    expect(() => address(text)).toThrow(ProviderError);
    expect(() => address(text)).toThrow(message);
  });
});

describe('accessUrl', () => {
  const google = { kind: 'google' } as const;
  it('uses the global endpoint, or the regional one for a location', () => {
    const global = address('gcp-sm://p/s');
    expect(accessUrl(google, global, resourceName(global, 'p')).href).toBe(
      'https://secretmanager.googleapis.com/v1/projects/p/secrets/s/versions/latest:access',
    );
    const regional = address('gcp-sm://p/s?location=europe-west1');
    expect(accessUrl(google, regional, resourceName(regional, 'p')).href).toBe(
      'https://secretmanager.europe-west1.rep.googleapis.com' +
        '/v1/projects/p/locations/europe-west1/secrets/s/versions/latest:access',
    );
  });

  it('sends everything to a fixed endpoint, keeping its path prefix', () => {
    const a = address('gcp-sm://p/s?location=eu');
    const target = { kind: 'endpoint', url: new URL('https://psc.example.internal/sm/'), variable: 'X' } as const;
    expect(accessUrl(target, a, resourceName(a, 'p')).href).toBe(
      'https://psc.example.internal/sm/v1/projects/p/locations/eu/secrets/s/versions/latest:access',
    );
  });
});

describe('readSettings', () => {
  const read = (env: Record<string, string>): ReturnType<typeof readSettings> => readSettings(testContext({ env }));

  it('takes GOOGLE_CLOUD_PROJECT before CLOUDSDK_CORE_PROJECT', () => {
    expect(read({ CLOUDSDK_CORE_PROJECT: 'b', GOOGLE_CLOUD_PROJECT: 'a' }).envProject).toEqual({
      id: 'a',
      variable: 'GOOGLE_CLOUD_PROJECT',
    });
    expect(read({ CLOUDSDK_CORE_PROJECT: 'b' }).envProject).toEqual({ id: 'b', variable: 'CLOUDSDK_CORE_PROJECT' });
    expect(read({}).envProject).toBeUndefined();
  });

  it('prefers the emulator over SECRETS_EXEC_GCP_ENDPOINT', () => {
    const settings = read({ SECRET_MANAGER_EMULATOR_HOST: 'localhost:8085', SECRETS_EXEC_GCP_ENDPOINT: 'https://x' });
    expect(settings.target).toMatchObject({ kind: 'emulator' });
  });

  it.each([
    [{ SECRET_MANAGER_EMULATOR_HOST: 'localhost' }, /SECRET_MANAGER_EMULATOR_HOST 'localhost' must be HOST:PORT/],
    [{ SECRET_MANAGER_EMULATOR_HOST: 'https://h:1' }, /must be HOST:PORT/],
    [{ SECRETS_EXEC_GCP_ENDPOINT: 'http://sm.example.com' }, /is plain http: access tokens would cross the network/],
    [{ SECRETS_EXEC_GCP_ENDPOINT: 'ftp://x' }, /must start with https:\/\//],
    [{ SECRETS_EXEC_GCP_ENDPOINT: 'not a url' }, /is not valid: write https:\/\/HOST\[:PORT\]/],
  ])('refuses %j', (env, message) => {
    expect(() => read(env)).toThrow(message);
  });

  it('allows plain http to a loopback endpoint', () => {
    expect(read({ SECRETS_EXEC_GCP_ENDPOINT: 'http://127.0.0.1:8080' }).target).toMatchObject({ kind: 'endpoint' });
  });
});
