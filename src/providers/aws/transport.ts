// The agents every AWS request of a run goes through: Secrets Manager and SSM calls, and the credential
// chain's own clients (STS for web identity or an assumed role, SSO), which are handed them as an SDK
// client hands its request handler on. Keep-alive as the SDK's own handler (50 sockets an agent), closed at
// the end of the run; through a proxy (HTTPS_PROXY, docs/network.md); with AWS_CA_BUNDLE, which — as in
// the AWS CLI — replaces the default roots for AWS's endpoints.
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { ProviderContext } from '../../resolve/types.js';
import { prepareNetwork } from '../shared/network-setup.js';
import { readNamedFile } from '../shared/read-file.js';

/** The run's agents (also the SDK's NodeHttpHandler options, for the credential chain's clients). */
export interface AwsAgents {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
}

/** The variable that replaces the trusted roots for AWS only. */
export const AWS_CA_VARIABLE = 'AWS_CA_BUNDLE';

// The SDK's own default: 50 sockets per agent.
const MAX_SOCKETS = 50;

/** The run's agents: through the proxy when one applies, trusting AWS_CA_BUNDLE when it is set. */
export async function awsAgents(ctx: ProviderContext): Promise<AwsAgents> {
  const { proxyEnv } = await prepareNetwork(ctx);
  const bundle = ctx.env[AWS_CA_VARIABLE];
  const ca = bundle ? await readNamedFile(ctx.readFile, bundle, AWS_CA_VARIABLE) : undefined;
  const http = globalThis.process.getBuiltinModule('node:http');
  const https = globalThis.process.getBuiltinModule('node:https');
  const proxy = proxyEnv === undefined ? {} : { proxyEnv: { ...proxyEnv } };
  return {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, ...proxy }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, ...proxy, ...(ca ? { ca } : {}) }),
  };
}
