// OKE workload identity: the pod's Kubernetes service-account token is exchanged at the cluster's
// proxymux (https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT_PROXYMUX/resourcePrincipalSessionTokens,
// port 12250 unless set, TLS checked against the service account's CA) for a resource principal session
// token bound to a fresh session key, by Oracle's own federation client. Only when
// SECRETS_EXEC_OCI_AUTH=oke_workload_identity. Files: SECRETS_EXEC_OCI_KUBERNETES_TOKEN_FILE and
// SECRETS_EXEC_OCI_KUBERNETES_CA_FILE, by default the service account's own under
// /var/run/secrets/kubernetes.io/serviceaccount/. Read through ctx.readFile (the SDK's builder would
// read process.env and the files itself).
import type { ProviderContext } from '../../resolve/types.js';
import { OciAuthError, readAuthFile } from './errors.js';
import type { PrincipalSetup } from './principals.js';
import { loadOkeParts } from './sdk.js';

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const PROXYMUX_PORT = '12250';

/** The workload identity of a pod in an enhanced OKE cluster. */
export async function okeWorkloadIdentity(ctx: ProviderContext): Promise<PrincipalSetup> {
  const { env } = ctx;
  const host = env.KUBERNETES_SERVICE_HOST;
  if (!host) {
    const why = 'OKE workload identity: KUBERNETES_SERVICE_HOST is not set (not in a Kubernetes pod?)';
    throw new OciAuthError('Invalid', why);
  }
  const port = env.KUBERNETES_SERVICE_PORT_PROXYMUX || PROXYMUX_PORT;
  const tokenFile = env.SECRETS_EXEC_OCI_KUBERNETES_TOKEN_FILE || `${SERVICE_ACCOUNT}/token`;
  const caFile = env.SECRETS_EXEC_OCI_KUBERNETES_CA_FILE || `${SERVICE_ACCOUNT}/ca.crt`;
  const token = (
    await readAuthFile(ctx.readFile, tokenFile, 'the service-account token', 'OKE workload identity')
  ).trim();
  const ca = await readAuthFile(ctx.readFile, caFile, 'the service-account CA certificate', 'OKE workload identity');
  const { Provider, FederationClient, SessionKeys } = await loadOkeParts();
  const keys = new SessionKeys();
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const proxymux = `https://${hostPart}:${port}/resourcePrincipalSessionTokens`;
  const federation = new FederationClient(proxymux, token, ca, keys);
  return { label: 'oke_workload_identity', provider: new Provider(federation, keys), region: undefined };
}
