// The run's network settings made process-wide, once, before a provider's first request, so that the
// vendor libraries' own requests (Google's token calls over fetch, OCI's federation calls, the AWS SDK's
// instance-metadata client, IBM's token calls) follow the same rules as the providers' own agents:
//   - the extra CA of SECRETS_EXEC_CA_FILE (else SSL_CERT_FILE) is added to Node's default roots
//     (tls.setDefaultCACertificates), which every TLS connection without its own `ca` uses;
//   - with a proxy variable set, Node's global agents and fetch go through the proxy
//     (http.setGlobalProxyFromEnv), with the metadata addresses always direct (egress.ts).
// Without any of these variables nothing is loaded. A provider's own CA variable (VAULT_CACERT,
// AWS_CA_BUNDLE) is the `ca` of its own agent and replaces the roots there. See docs/network.md.
import { ProviderError } from '../../errors/errors.js';
import { maskProxy, readEgress, type Egress } from './egress.js';
import { readNamedFile } from './read-file.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables that add a CA for every provider, in the order they are looked at (the first set wins). */
export const SHARED_CA_VARIABLES = ['SECRETS_EXEC_CA_FILE', 'SSL_CERT_FILE'] as const;

// What has been made process-wide already: a watch run prepares again with the same settings.
let appliedCa: string | undefined;
let appliedProxy: string | undefined;
const activeProxies = new Map<string, string>();

/** The proxies in use (host:port → masked URL), for error messages. */
export function activeProxy(hostPort: string): string | undefined {
  return activeProxies.get(hostPort);
}

/** Every proxy in use, masked ('' when none): a plain-http 407 does not say which proxy answered. */
export function activeProxyNames(): string {
  return [...new Set(activeProxies.values())].join(' or ');
}

/** The variable that decides the shared CA of this run, when one is set. */
export function sharedCaVariable(env: Env): string | undefined {
  return SHARED_CA_VARIABLES.find((name) => (env[name] ?? '') !== '');
}

/** Applies the run's CA and proxy settings process-wide; resolves with the run's egress rules. */
export async function prepareNetwork(ctx: { env: Env; readFile(path: string): Promise<Buffer> }): Promise<Egress> {
  const egress = readEgress(ctx.env);
  const caVariable = sharedCaVariable(ctx.env);
  if (caVariable !== undefined) {
    const file = ctx.env[caVariable] as string;
    const pem = (await readNamedFile(ctx.readFile, file, caVariable)).toString('utf8');
    if (appliedCa !== pem) {
      const tls = globalThis.process.getBuiltinModule('node:tls');
      const certificates = splitPem(pem);
      if (certificates.length === 0)
        throw new ProviderError('Invalid', `${caVariable} ${file} holds no PEM certificate (BEGIN CERTIFICATE)`);
      try {
        tls.setDefaultCACertificates([...tls.getCACertificates('bundled'), ...certificates]);
      } catch (error) {
        throw new ProviderError('Invalid', `${caVariable} ${file}: not a usable PEM certificate`, { cause: error });
      }
      appliedCa = pem;
    }
  }
  const { proxyEnv } = egress;
  const key = JSON.stringify(proxyEnv ?? null);
  if (proxyEnv !== undefined && appliedProxy !== key) {
    globalThis.process.getBuiltinModule('node:http').setGlobalProxyFromEnv({ ...proxyEnv });
    for (const url of [proxyEnv.HTTPS_PROXY, proxyEnv.HTTP_PROXY]) {
      if (url === undefined) continue;
      const parsed = new URL(url);
      const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
      activeProxies.set(`${parsed.hostname.replace(/^\[|\]$/g, '')}:${port}`, maskProxy(url));
    }
    appliedProxy = key;
  }
  return egress;
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
