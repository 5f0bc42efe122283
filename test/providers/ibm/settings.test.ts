// The IBM provider's settings: the core's variable naming read from ctx.env, the fallbacks, the auth type rule.
import { afterEach, describe, expect, it } from 'vitest';
import { readExternalSources } from 'ibm-cloud-sdk-core';
import { createLogger } from '../../../src/log/logger.js';
import { readServiceProperties, readSettings } from '../../../src/providers/ibm/settings.js';

const lines: string[] = [];
const log = createLogger({ level: 'debug', format: 'text', write: (line) => lines.push(line) });
afterEach(() => (lines.length = 0));

describe('readServiceProperties', () => {
  const env = {
    SECRETS_MANAGER_URL: 'https://x.us-south.secrets-manager.appdomain.cloud',
    SECRETS_MANAGER_AUTH_TYPE: 'container',
    SECRETS_MANAGER_IAM_PROFILE_ID: 'Profile-1',
    SECRETS_MANAGER_CR_TOKEN_FILENAME: '/var/run/secrets/tokens/sa-token',
    SECRETS_MANAGER_AUTH_URL: 'https://private.iam.cloud.ibm.com',
    SECRETS_MANAGER_APIKEY: 'k',
    OTHER_SERVICE_APIKEY: 'not ours',
  };

  it('names properties exactly as ibm-cloud-sdk-core does for service secrets_manager', () => {
    // The core reads process.env (and an ibm-credentials.env file, of which there is none here); it is
    // given the same variables for the comparison only.
    const saved = { ...process.env };
    try {
      for (const key of Object.keys(process.env)) if (key.startsWith('SECRETS_MANAGER_')) delete process.env[key];
      Object.assign(process.env, env);
      expect(readServiceProperties(env)).toEqual(readExternalSources('secrets_manager'));
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

describe('readSettings', () => {
  const url = 'https://0b5571f7.us-south.secrets-manager.appdomain.cloud';

  it.each([
    [{ SECRETS_MANAGER_APIKEY: 'k' }, 'iam', 'SECRETS_MANAGER_APIKEY'],
    [{ IBM_CLOUD_APIKEY: 'k' }, 'iam', 'IBM_CLOUD_APIKEY'],
    [{}, 'container', 'the compute-resource token file'],
    [{ SECRETS_MANAGER_AUTHTYPE: 'VPC' }, 'vpc', 'the VPC instance metadata service'],
    [{ SECRETS_MANAGER_AUTH_TYPE: 'bearertoken' }, 'bearerToken', 'SECRETS_MANAGER_BEARER_TOKEN'],
  ])('chooses the auth type as the core does: %o', (extra, type, source) => {
    const settings = readSettings({ SECRETS_MANAGER_URL: url, ...extra }, log);
    expect(settings.auth).toMatchObject({ type, source });
  });

  it("hands the authenticator its own URL and TLS switch, and keeps the service's apart", () => {
    const iam = 'https://private.iam.cloud.ibm.com';
    const env = {
      SECRETS_MANAGER_URL: `${url}/api`,
      SECRETS_MANAGER_APIKEY: 'k',
      SECRETS_MANAGER_AUTH_URL: iam,
      SECRETS_MANAGER_AUTH_DISABLE_SSL: 'true',
    };
    expect(readSettings(env, log)).toEqual({
      serviceUrl: url,
      disableSsl: false,
      auth: {
        type: 'iam',
        source: 'SECRETS_MANAGER_APIKEY',
        options: { apikey: 'k', url: iam, disableSslVerification: true },
      },
    });
    expect(lines.join('\n')).toMatch(/SECRETS_MANAGER_AUTH_DISABLE_SSL is set: TLS certificates are NOT verified/);
  });

  it('accepts the private endpoint and warns about plain http away from loopback', () => {
    const privateUrl = 'https://0b55.private.us-south.secrets-manager.appdomain.cloud';
    const settings = readSettings({ SECRETS_MANAGER_URL: privateUrl, SECRETS_MANAGER_APIKEY: 'k' }, log);
    expect(settings.serviceUrl).toBe(privateUrl);
    readSettings({ SECRETS_MANAGER_URL: 'http://sm.internal:8080', SECRETS_MANAGER_APIKEY: 'k' }, log);
    expect(lines.join('\n')).toMatch(/plain http/);
  });
});
