// endpointForRegion: the Secrets endpoint of a region in its realm's domain, from Oracle's region table.
import { describe, expect, it } from 'vitest';
import { endpointForRegion } from '../../../src/providers/oci/endpoint.js';

describe('endpointForRegion', () => {
  it.each([
    ['us-ashburn-1', 'https://secrets.vaults.us-ashburn-1.oci.oraclecloud.com'],
    ['iad', 'https://secrets.vaults.us-ashburn-1.oci.oraclecloud.com'],
    ['eu-frankfurt-1', 'https://secrets.vaults.eu-frankfurt-1.oci.oraclecloud.com'],
    ['us-langley-1', 'https://secrets.vaults.us-langley-1.oci.oraclegovcloud.com'],
    ['uk-gov-london-1', 'https://secrets.vaults.uk-gov-london-1.oci.oraclegovcloud.uk'],
    // A region newer than Oracle's table: the commercial realm, as Oracle's EndpointBuilder assumes.
    ['xx-future-1', 'https://secrets.vaults.xx-future-1.oci.oraclecloud.com'],
  ])('%s → %s', async (region, endpoint) => {
    expect((await endpointForRegion(region)).origin).toBe(endpoint);
  });

  it('is Invalid without a region, saying what to set', async () => {
    await expect(endpointForRegion(undefined)).rejects.toThrow(/set OCI_REGION .* or SECRETS_EXEC_OCI_ENDPOINT/);
  });
});
