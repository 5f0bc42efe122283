// toBundleRequest and mapGenericName: which OCI call a reference becomes, and what is refused.
import { describe, expect, it } from 'vitest';
import { mapGenericName, toBundleRequest } from '../../../src/providers/oci/request.js';
import { ref } from './context.js';

const SECRET = 'ocid1.vaultsecret.oc1.iad.amaaaaaaexample';
const VAULT = 'ocid1.vault.oc1.iad.bbbbbbbbexample';

describe('toBundleRequest', () => {
  it.each([
    [`oci-vault://${SECRET}`, { secretId: SECRET, versionNumber: undefined, stage: undefined }],
    [`oci-vault://${SECRET}?version=3`, { secretId: SECRET, versionNumber: '3' }],
    [`oci-vault://${SECRET}?stage=previous`, { secretId: SECRET, stage: 'PREVIOUS' }],
    [`oci-vault://${VAULT}/db-password`, { vaultId: VAULT, secretName: 'db-password' }],
    [`oci-vault://${VAULT}/db?stage=LATEST`, { vaultId: VAULT, secretName: 'db', stage: 'LATEST' }],
  ])('%s', (text, expected) => {
    expect(toBundleRequest(ref(text))).toMatchObject(expected);
  });

  it.each([
    [`oci-vault://${SECRET}?version=latest`, /an OCI secret version is a number/],
    [`oci-vault://${SECRET}?version=0`, /an OCI secret version is a number/],
    [`oci-vault://${SECRET}?stage=OLD`, /one of CURRENT, PENDING, LATEST, PREVIOUS, DEPRECATED/],
    [`oci-vault://${SECRET}?version=2&stage=CURRENT`, /not both/],
    [`oci-vault://${SECRET}/name`, /is not a vault OCID/],
    [`oci-vault://${VAULT}`, /is not a secret OCID/],
  ])('refuses %s', (text, message) => {
    expect(() => toBundleRequest(ref(text))).toThrow(message);
  });
});

describe('mapGenericName', () => {
  it('maps NAME into the vault of SECRETS_EXEC_OCI_VAULT_ID', () => {
    const mapped = mapGenericName('api-key_1.txt', { SECRETS_EXEC_OCI_VAULT_ID: VAULT });
    expect(mapped).toMatchObject({ scheme: 'oci-vault', path: `${VAULT}/api-key_1.txt` });
  });

  it.each([
    ['db', {}, /needs SECRETS_EXEC_OCI_VAULT_ID/],
    ['app/db', { SECRETS_EXEC_OCI_VAULT_ID: VAULT }, /cannot be an OCI secret/],
    ['a b', { SECRETS_EXEC_OCI_VAULT_ID: VAULT }, /cannot be an OCI secret/],
  ])('refuses %s with %j as Invalid', (name, env, message) => {
    expect(() => mapGenericName(name, env)).toThrow(message);
  });
});
