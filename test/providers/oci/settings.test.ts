// readOciSettings: standard OCI variables first, SECRETS_EXEC_OCI_* where OCI has none; bad values are
// Invalid errors that name the variable.
import { describe, expect, it } from 'vitest';
import { readOciSettings } from '../../../src/providers/oci/settings.js';

describe('readOciSettings', () => {
  it.each([
    // auth mode
    [{}, { auth: undefined }],
    [{ OCI_CLI_AUTH: 'instance_principal' }, { auth: 'instance_principal' }],
    [{ OCI_CLI_AUTH: 'api_key', SECRETS_EXEC_OCI_AUTH: 'resource-principal' }, { auth: 'resource_principal' }],
    [{ SECRETS_EXEC_OCI_AUTH: 'API_KEY' }, { auth: 'api_key' }],
    // region: OCI_REGION wins over the resource principal's
    [{ OCI_RESOURCE_PRINCIPAL_REGION: 'phx' }, { region: 'phx' }],
    [{ OCI_REGION: 'eu-frankfurt-1', OCI_RESOURCE_PRINCIPAL_REGION: 'phx' }, { region: 'eu-frankfurt-1' }],
    // endpoints
    [{ SECRETS_EXEC_OCI_ENDPOINT: 'https://secrets.example/b/' }, { endpoint: new URL('https://secrets.example/b/') }],
    [{}, { metadataUrl: 'http://169.254.169.254', federationEndpoint: undefined }],
    [
      { SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:9/', SECRETS_EXEC_OCI_FEDERATION_ENDPOINT: 'http://127.0.0.1:8/' },
      { metadataUrl: 'http://127.0.0.1:9', federationEndpoint: 'http://127.0.0.1:8' },
    ],
    [{ SECRETS_EXEC_OCI_VAULT_ID: ' ocid1.vault.oc1.iad.x ' }, { vaultId: 'ocid1.vault.oc1.iad.x' }],
  ])('%j gives %j', (env, expected) => {
    expect(readOciSettings(env)).toMatchObject(expected);
  });

  it.each([
    [{ SECRETS_EXEC_OCI_AUTH: 'security_token' }, /SECRETS_EXEC_OCI_AUTH=security_token is not an auth mode/],
    [{ OCI_CLI_AUTH: 'oke' }, /OCI_CLI_AUTH=oke is not an auth mode/],
    [{ SECRETS_EXEC_OCI_ENDPOINT: 'not a url' }, /SECRETS_EXEC_OCI_ENDPOINT is not a URL/],
    [{ SECRETS_EXEC_OCI_ENDPOINT: 'ftp://x' }, /must be an https:\/\/ URL/],
  ])('refuses %j', (env, message) => {
    expect(() => readOciSettings(env)).toThrow(message);
  });
});
