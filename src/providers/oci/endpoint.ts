// Where the Secrets service of a region is: https://secrets.vaults.REGION.oci.DOMAIN, DOMAIN being the
// region's realm's (oraclecloud.com for OC1, oraclegovcloud.com for OC2, …) as Oracle's EndpointBuilder
// knows them. Short codes (iad, phx) are accepted, as OCI_RESOURCE_PRINCIPAL_REGION may hold one.
import { OciAuthError } from './errors.js';
import { loadEndpointParts } from './sdk.js';

const ENDPOINT_TEMPLATE = 'https://secrets.vaults.{region}.oci.{secondLevelDomain}';

/** The Secrets endpoint of a region; no region is an Invalid error that says what to set. */
export async function endpointForRegion(region: string | undefined): Promise<URL> {
  if (!region) {
    throw new OciAuthError(
      'Invalid',
      "no OCI region: set OCI_REGION (or the config profile's region, OCI_CLI_REGION), or SECRETS_EXEC_OCI_ENDPOINT",
    );
  }
  const { Endpoints, Regions } = await loadEndpointParts();
  // Only a short code needs Oracle's table (whose fallbacks read ~/.oci files); an id is used as it is.
  const regionId = region.includes('-') ? region.toLowerCase() : Regions.getRegionIdFromShortCode(region);
  return new URL(Endpoints.createEndpointFromRegionId(ENDPOINT_TEMPLATE, regionId));
}
