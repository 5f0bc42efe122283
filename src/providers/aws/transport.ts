// The agents the AWS SDK's request handler uses, when the run needs its own: through a proxy
// (HTTPS_PROXY, docs/network.md) or with AWS_CA_BUNDLE, which — as in the AWS CLI — replaces the
// default roots for AWS's endpoints. Without either, the SDK makes its own agents as before. The same
// handler serves the STS calls of the credential chain (web identity, assumed roles): the SDK hands a
// client's request handler on to the STS client it creates for its credentials.
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { ProviderContext } from '../../resolve/types.js';
import { prepareNetwork } from '../shared/network-setup.js';
import { readNamedFile } from '../shared/read-file.js';

/** The SDK's NodeHttpHandler options (`requestHandler` accepts them and makes the handler). */
export interface AwsHandlerOptions {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
}

/** The variable that replaces the trusted roots for AWS only. */
export const AWS_CA_VARIABLE = 'AWS_CA_BUNDLE';

// The SDK's own default: 50 sockets per agent.
const MAX_SOCKETS = 50;

/** The run's handler options, or undefined when the SDK's defaults apply (no proxy, no AWS_CA_BUNDLE). */
export async function awsHandlerOptions(ctx: ProviderContext): Promise<AwsHandlerOptions | undefined> {
  const { proxyEnv } = await prepareNetwork(ctx);
  const bundle = ctx.env[AWS_CA_VARIABLE];
  const ca = bundle ? await readNamedFile(ctx.readFile, bundle, AWS_CA_VARIABLE) : undefined;
  if (proxyEnv === undefined && ca === undefined) return undefined;
  const http = globalThis.process.getBuiltinModule('node:http');
  const https = globalThis.process.getBuiltinModule('node:https');
  const proxy = proxyEnv === undefined ? {} : { proxyEnv: { ...proxyEnv } };
  return {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, ...proxy }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, ...proxy, ...(ca ? { ca } : {}) }),
  };
}
