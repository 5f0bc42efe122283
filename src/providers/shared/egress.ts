// Which requests go through an egress proxy, for every provider and the libraries they call: read once
// from the run's environment as Node.js itself reads it (https_proxy before HTTPS_PROXY, http_proxy before
// HTTP_PROXY, no_proxy before NO_PROXY: the lower-case form wins, as in curl and Node's own proxyEnv).
// The result is a `proxyEnv` for Node's agents, whose NO_PROXY also lists every metadata address, so that
// instance credentials never cross a proxy whatever the user's NO_PROXY says. Cheap to import: no module
// is loaded here (activation, which loads node:http, is in egress-activate.ts). See docs/network.md.
import { ProviderError } from '../../errors/errors.js';
import { bypasses, userBypass } from './no-proxy.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables Node's agents (`proxyEnv`) and fetch read, with the user's choice already made. */
export interface ProxyEnv {
  readonly HTTP_PROXY?: string;
  readonly HTTPS_PROXY?: string;
  readonly NO_PROXY: string;
}

export interface Egress {
  /** For Node's agents; undefined when no proxy variable is set (nothing proxy-related is loaded then). */
  readonly proxyEnv: ProxyEnv | undefined;
  /** The proxy a request to `url` goes through, credentials masked; undefined when it goes direct. */
  proxyFor(url: URL): string | undefined;
  /** Every proxy of the run, masked (for messages). */
  readonly proxies: readonly string[];
}

// Metadata services and link-local addresses, never proxied: instance credentials stay on the host's
// own link. Written both as Node's agents match them (an IPv4 range) and one by one, because fetch's
// matcher takes names and addresses only.
const ALWAYS_DIRECT: readonly string[] = [
  '169.254.0.0-169.254.255.255',
  '169.254.169.254',
  '169.254.170.2', // ECS task credentials
  '169.254.170.23', // EKS Pod Identity
  'fd00:ec2::254', // AWS instance metadata over IPv6
  'fd00:ec2::23', // EKS Pod Identity over IPv6
  'fd00:c1::a9fe:a9fe', // OCI instance metadata over IPv6
  'metadata.google.internal',
  'metadata',
  'api.metadata.cloud.ibm.com', // IBM Cloud VPC instance metadata
];

// Variables that point a library at a metadata or credentials endpoint: where they point is direct too.
const METADATA_VARIABLES = [
  'SECRETS_EXEC_METADATA_URL',
  'GCE_METADATA_HOST',
  'GCE_METADATA_IP',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  // The cluster's own API server (OKE's proxymux for workload identity): inside the cluster, never beyond.
  'KUBERNETES_SERVICE_HOST',
  // A Vault Agent or Vault Proxy beside the program (a sidecar, 127.0.0.1 or a unix socket): a corporate
  // proxy cannot reach it, and the vault CLI, like every Go program, never proxies loopback.
  'VAULT_AGENT_ADDR',
] as const;

/** The first non-empty of the lower-case and upper-case forms, with the name it came from. */
function pick(env: Env, name: string): { variable: string; value: string } | undefined {
  for (const variable of [name.toLowerCase(), name]) {
    const value = env[variable];
    if (value !== undefined && value !== '') return { variable, value };
  }
  return undefined;
}

/** A proxy URL with its credentials replaced by `***`: safe for logs and messages. */
export function maskProxy(url: string): string {
  try {
    const parsed = new URL(url);
    const hidden = parsed.username !== '' || parsed.password !== '';
    return `${parsed.protocol}//${hidden ? '***@' : ''}${parsed.host}`;
  } catch {
    return '(not a URL)';
  }
}

function checkProxy(found: { variable: string; value: string } | undefined): string | undefined {
  if (found === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(found.value);
  } catch {
    // The value may hold a password: it is not repeated.
    throw new ProviderError('Invalid', `${found.variable} is not a URL: write http://[USER:PASSWORD@]HOST:PORT`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const why = `only http:// and https:// proxies are supported (${url.protocol} given)`;
    throw new ProviderError('Invalid', `${found.variable} ${maskProxy(found.value)}: ${why}`);
  }
  return found.value;
}

/** Reads the proxy variables of the run; a proxy URL that cannot be used is Invalid. */
export function readEgress(env: Env): Egress {
  const https = checkProxy(pick(env, 'HTTPS_PROXY'));
  const http = checkProxy(pick(env, 'HTTP_PROXY'));
  if (https === undefined && http === undefined) return { proxyEnv: undefined, proxyFor: () => undefined, proxies: [] };
  const bypass = [...userBypass(pick(env, 'NO_PROXY')?.value ?? ''), ...ALWAYS_DIRECT, ...metadataHosts(env)];
  const proxyEnv: ProxyEnv = {
    ...(https === undefined ? {} : { HTTPS_PROXY: https }),
    ...(http === undefined ? {} : { HTTP_PROXY: http }),
    NO_PROXY: bypass.join(','),
  };
  return {
    proxyEnv,
    proxyFor(url) {
      const proxy = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
      if (proxy === undefined) return undefined;
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      // Node's agents see the default port as a number too (`host:443` in NO_PROXY matches it).
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      return bypass.some((entry) => bypasses(entry, host, port)) ? undefined : maskProxy(proxy);
    },
    proxies: [...new Set([https, http].filter((p) => p !== undefined).map(maskProxy))],
  };
}

// The hosts the metadata variables point at (host:port when they name a port).
function metadataHosts(env: Env): string[] {
  const out: string[] = [];
  for (const variable of METADATA_VARIABLES) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (variable === 'KUBERNETES_SERVICE_HOST') {
      out.push(value.replace(/^\[|\]$/g, '').toLowerCase());
      continue;
    }
    try {
      const url = new URL(value.includes('://') ? value : `http://${value}`);
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      // With a port, only that port: a test's metadata fake shares 127.0.0.1 with the stores' fakes.
      out.push(url.port === '' ? host : `${host}:${url.port}`);
    } catch {
      // A variable that is not a URL is reported by whoever reads it.
    }
  }
  return out;
}
