// The variables every provider that makes requests reads for its network path (docs/network.md): listed
// in each descriptor so that --help shows them. Lower-case forms (https_proxy, …) are read as well.
export const NETWORK_ENV: readonly string[] = [
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'SECRETS_EXEC_CA_FILE',
  'SSL_CERT_FILE',
];
