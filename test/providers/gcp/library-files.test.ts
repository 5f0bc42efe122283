// Which files google-auth-library would open itself for a credentials file: each is named by where the
// path is written, so that a refusal says what to fix.
import { describe, expect, it } from 'vitest';
import { libraryFiles } from '../../../src/providers/gcp/library-files.js';

const file = (json: Record<string, unknown>) => ({ path: '/c.json', variable: 'GOOGLE_APPLICATION_CREDENTIALS', json });
const of = 'of GOOGLE_APPLICATION_CREDENTIALS';

describe('libraryFiles', () => {
  it('finds the token file, the certificate config and trust chain, and a GDCH CA, at any nesting', () => {
    const account = {
      type: 'external_account',
      credential_source: { certificate: { certificate_config_location: '/cfg.json', trust_chain_path: '/chain.pem' } },
    };
    const json = {
      type: 'impersonated_service_account',
      source_credentials: { type: 'external_account', credential_source: { file: '/token' } },
    };
    expect(libraryFiles(file(account), {}).map((f) => [f.path, f.what])).toEqual([
      ['/cfg.json', `credential_source.certificate.certificate_config_location ${of}`],
      ['/chain.pem', `credential_source.certificate.trust_chain_path ${of}`],
    ]);
    expect(libraryFiles(file(json), {}).map((f) => [f.path, f.what])).toEqual([
      ['/token', `source_credentials.credential_source.file ${of}`],
    ]);
    expect(libraryFiles(file({ type: 'gdch_service_account', ca_cert_path: '/ca.pem' }), {})[0]?.what).toBe(
      `ca_cert_path ${of}`,
    );
  });

  it('takes GOOGLE_API_CERTIFICATE_CONFIG when the certificate source names no config file', () => {
    const json = {
      type: 'external_account',
      credential_source: { certificate: { use_default_certificate_config: true } },
    };
    expect(libraryFiles(file(json), { GOOGLE_API_CERTIFICATE_CONFIG: '/env.json' })).toEqual([
      { path: '/env.json', what: 'GOOGLE_API_CERTIFICATE_CONFIG', mayBeMissing: false },
    ]);
    expect(libraryFiles(file({ type: 'service_account' }), { GOOGLE_API_CERTIFICATE_CONFIG: '/env.json' })).toEqual([]);
  });
});
