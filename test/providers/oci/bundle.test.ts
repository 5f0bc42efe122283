// decodeBundle: OCI's BASE64 content becomes a Secret only when it is UTF-8 text.
import { describe, expect, it } from 'vitest';
import { decodeBundle } from '../../../src/providers/oci/bundle.js';

const bundle = (content: unknown, extra: Record<string, unknown> = {}): unknown => ({
  secretId: 'ocid1.vaultsecret.oc1.iad.x',
  versionNumber: 4,
  stages: ['CURRENT', 'LATEST'],
  secretBundleContent: { contentType: 'BASE64', content },
  ...extra,
});

describe('decodeBundle', () => {
  it('decodes UTF-8 text and reports the version number with its stages', () => {
    const fetched = decodeBundle(bundle(Buffer.from('pässwörd ✓').toString('base64')), 'GetSecretBundle');
    expect(fetched.value.reveal()).toBe('pässwörd ✓');
    expect(fetched.version).toBe('4 (CURRENT, LATEST)');
    expect(String(fetched.value)).toBe('[redacted]');
  });

  it.each([
    ['content that is not UTF-8', bundle(Buffer.from([0xc3, 0x28]).toString('base64')), /is not UTF-8 text/],
    ['content that is not base64', bundle('***'), /is not base64/],
    ['another content type', { secretBundleContent: { contentType: 'TEXT', content: 'x' } }, /not BASE64/],
    ['no content', { secretId: 'x' }, /has no secretBundleContent/],
    ['no object', 'text', /not a secret bundle/],
  ])('refuses %s without showing it', (_, body, message) => {
    expect(() => decodeBundle(body, 'GetSecretBundle')).toThrow(message);
  });
});
