// The agents every AWS request of a run goes through: Secrets Manager and SSM calls, and the credential
// chain's own clients (STS for web identity or an assumed role, SSO), which are handed them as an SDK
// client hands its request handler on. Keep-alive as the SDK's own handler (50 sockets an agent), closed at
// the end of the run; through a proxy (HTTPS_PROXY, docs/network.md); with AWS_CA_BUNDLE, which — as in
// the AWS CLI — replaces the default roots for AWS's endpoints. Each agent is made when first asked for:
// node:https (with node:tls) is loaded only by a run that speaks HTTPS. Without a proxy, Secrets Manager and
// SSM calls do not use the agents: they are written on kept-alive sockets (shared/http1-client.ts), which
// spares a run with environment keys node:http's start-up cost (≈ 7 ms; the chain's clients still use them).
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { ProviderContext } from '../../resolve/types.js';
import { prepareNetwork } from '../shared/network-setup.js';
import { readNamedFile } from '../shared/read-file.js';
import { createHttp1Client, type Http1Client } from '../shared/http1-client.js';

/** The run's agents (also the SDK's NodeHttpHandler options, for the credential chain's clients). */
export interface AwsAgents {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
  /** Where the service calls go when no proxy applies, with AWS_CA_BUNDLE's roots when it is set. */
  readonly direct: { readonly client: Http1Client; readonly ca: readonly Buffer[] | undefined } | undefined;
  /** Closes the keep-alive sockets of the agents made so far. */
  destroy(): void;
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
  const proxy = proxyEnv === undefined ? {} : { proxyEnv: { ...proxyEnv } };
  let http: HttpAgent | undefined;
  let https: HttpsAgent | undefined;
  // The cap is each call's (wire.ts).
  const direct =
    proxyEnv === undefined ? { client: createHttp1Client({ maxBodyBytes: 0 }), ca: ca && [ca] } : undefined;
  return {
    direct,
    get httpAgent() {
      http ??= new (globalThis.process.getBuiltinModule('node:http').Agent)({
        keepAlive: true,
        maxSockets: MAX_SOCKETS,
        ...proxy,
      });
      return http;
    },
    get httpsAgent() {
      https ??= new (globalThis.process.getBuiltinModule('node:https').Agent)({
        keepAlive: true,
        maxSockets: MAX_SOCKETS,
        ...proxy,
        ...(ca ? { ca } : {}),
      });
      return https;
    },
    destroy() {
      direct?.client.close();
      http?.destroy();
      https?.destroy();
    },
  };
}
