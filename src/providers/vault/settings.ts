// The Vault provider's settings, read once per run from the wrapper's environment: the standard VAULT_*
// variables of the vault CLI first, SECRETS_EXEC_VAULT_* only where Vault has no standard. Every problem
// is an Invalid ProviderError that names the variable and says what to write instead.
import { readdir } from 'node:fs';
import { join } from 'node:path';
import { ProviderError } from '../../errors/errors.js';
import type { ProviderContext } from '../../resolve/types.js';
import { readNamedFile as readSharedFile } from '../shared/read-file.js';
import type { VaultAddress, VaultTls } from './client.js';
import { isLoopbackHost } from '../shared/loopback.js';
import type { ProxyEnv } from '../shared/egress.js';
import { prepareNetwork } from '../shared/network-setup.js';

// `agent`: no token of our own; the Vault Agent or Vault Proxy at the address adds its auto-auth token.
const AUTH_METHODS = ['token', 'approle', 'kubernetes', 'jwt', 'aws', 'agent'] as const;
type AuthMethod = (typeof AUTH_METHODS)[number];

export interface VaultSettings {
  readonly address: VaultAddress;
  readonly namespace?: string | undefined;
  readonly tls: VaultTls;
  readonly method: AuthMethod;
  /** Where the method is mounted, without `auth/` (`approle`, `kubernetes`, …). */
  readonly authMount: string;
  /** The run's proxy settings (docs/network.md), when a proxy variable is set. */
  readonly proxyEnv?: ProxyEnv | undefined;
}

type Env = ProviderContext['env'];

const MOUNT_VARIABLE: Readonly<Record<Exclude<AuthMethod, 'token' | 'agent'>, string>> = {
  approle: 'SECRETS_EXEC_VAULT_APPROLE_MOUNT',
  kubernetes: 'SECRETS_EXEC_VAULT_KUBERNETES_MOUNT',
  jwt: 'SECRETS_EXEC_VAULT_JWT_MOUNT',
  aws: 'SECRETS_EXEC_VAULT_AWS_MOUNT',
};

/** A non-empty variable, or undefined (an empty variable counts as unset, as in the vault CLI). */
export function getVar(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The KV mount `secret://NAME` maps to (SECRETS_EXEC_VAULT_MOUNT, default `secret`). */
export function getGenericMount(env: Env): string {
  return trimSlashes(getVar(env, 'SECRETS_EXEC_VAULT_MOUNT') ?? 'secret');
}

/** Works out address, namespace, TLS material and the auth method; reads CA and client-key files. */
export async function readSettings(ctx: ProviderContext): Promise<VaultSettings> {
  const { env } = ctx;
  const { variable, value } = addressVariable(env);
  const address = parseAddress(value, variable);
  const namespace = getVar(env, 'VAULT_NAMESPACE');
  const method = chooseMethod(env);
  const authMount =
    method === 'token' || method === 'agent'
      ? 'token'
      : trimSlashes(getVar(env, MOUNT_VARIABLE[method]) ?? getVar(env, 'SECRETS_EXEC_VAULT_AUTH_MOUNT') ?? method);
  const tls = await readTls(ctx);
  const { proxyEnv } = await prepareNetwork(ctx);
  if (tls.skipVerify) {
    // README "Security model" 4: skipping verification works, but never quietly.
    ctx.log.warn(
      'vault.tls_skip_verify',
      'VAULT_SKIP_VERIFY is set: the Vault server certificate is NOT verified, ' +
        'so anyone on the network path can read every token and secret; set VAULT_CACERT instead',
    );
  }
  if ('url' in address && address.url.protocol === 'http:' && !isLoopbackHost(address.url.hostname)) {
    ctx.log.warn(
      'vault.plain_http',
      `${variable} ${address.url.origin} is plain http: tokens and secrets cross the network unencrypted`,
    );
  }
  return { address, namespace, tls, method, authMount, proxyEnv };
}

/**
 * The variable that gives the address: VAULT_AGENT_ADDR (a local Vault Agent or Vault Proxy) before
 * VAULT_ADDR, as the vault CLI takes it.
 */
export function addressVariable(env: Env): { variable: string; value: string | undefined } {
  const agent = getVar(env, 'VAULT_AGENT_ADDR');
  if (agent !== undefined) return { variable: 'VAULT_AGENT_ADDR', value: agent };
  return { variable: 'VAULT_ADDR', value: getVar(env, 'VAULT_ADDR') };
}

function parseAddress(text: string | undefined, variable: string): VaultAddress {
  if (text === undefined)
    throw new ProviderError(
      'Invalid',
      'VAULT_ADDR is not set: set it to the Vault server address (https://vault.example.com:8200), ' +
        'or VAULT_AGENT_ADDR to a local Vault Agent or Vault Proxy',
    );
  if (text.startsWith('unix://')) return { socketPath: text.slice('unix://'.length) };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProviderError('Invalid', `${variable} '${text}' is not a URL: write https://HOST:PORT`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderError('Invalid', `${variable} '${text}' must start with https://, http:// or unix://`);
  }
  return { url };
}

// Explicit SECRETS_EXEC_VAULT_AUTH first; otherwise a token when one is given, AppRole when a role id is.
function chooseMethod(env: Env): AuthMethod {
  const explicit = getVar(env, 'SECRETS_EXEC_VAULT_AUTH');
  if (explicit !== undefined) {
    const method = explicit.trim().toLowerCase();
    if (!(AUTH_METHODS as readonly string[]).includes(method)) {
      throw new ProviderError(
        'Invalid',
        `SECRETS_EXEC_VAULT_AUTH '${explicit}' is not one of ${AUTH_METHODS.join(', ')}`,
      );
    }
    return method as AuthMethod;
  }
  if (getVar(env, 'VAULT_TOKEN') !== undefined || getVar(env, 'VAULT_TOKEN_FILE') !== undefined) return 'token';
  if (getVar(env, 'VAULT_ROLE_ID') !== undefined || getVar(env, 'VAULT_ROLE_ID_FILE') !== undefined) return 'approle';
  // A Vault Agent (or Proxy) with use_auto_auth_token sends its own token with a request that has none.
  if (getVar(env, 'VAULT_AGENT_ADDR') !== undefined) return 'agent';
  throw new ProviderError(
    'Invalid',
    'no Vault credentials: set VAULT_TOKEN (or VAULT_TOKEN_FILE), ' +
      `or SECRETS_EXEC_VAULT_AUTH to one of ${AUTH_METHODS.join(', ')}`,
  );
}

async function readTls(ctx: ProviderContext): Promise<VaultTls> {
  const { env } = ctx;
  const skipVerify = parseGoBool(getVar(env, 'VAULT_SKIP_VERIFY'), 'VAULT_SKIP_VERIFY');
  const caFile = getVar(env, 'VAULT_CACERT');
  const caPath = getVar(env, 'VAULT_CAPATH');
  let ca: Buffer[] | undefined;
  // As the vault CLI does: VAULT_CACERT wins over VAULT_CAPATH, and either replaces the default roots.
  if (caFile !== undefined) ca = [await readNamedFile(ctx, caFile, 'VAULT_CACERT')];
  else if (caPath !== undefined) ca = await readCaDirectory(ctx, caPath);
  const certFile = getVar(env, 'VAULT_CLIENT_CERT');
  const keyFile = getVar(env, 'VAULT_CLIENT_KEY');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ProviderError('Invalid', 'VAULT_CLIENT_CERT and VAULT_CLIENT_KEY must be set together');
  }
  const cert = certFile === undefined ? undefined : await readNamedFile(ctx, certFile, 'VAULT_CLIENT_CERT');
  const key = keyFile === undefined ? undefined : await readNamedFile(ctx, keyFile, 'VAULT_CLIENT_KEY');
  const caVariable = caFile !== undefined ? 'VAULT_CACERT' : caPath !== undefined ? 'VAULT_CAPATH' : undefined;
  return { ca, cert, key, skipVerify, caVariable };
}

// Listing a directory is the one file-system call ctx has no helper for; the files are read through ctx.
// node:fs's callback form: node:fs/promises would load six more modules at every Vault run's start.
async function readCaDirectory(ctx: ProviderContext, dir: string): Promise<Buffer[]> {
  let names: string[];
  try {
    const all = await new Promise<string[]>((resolve, reject) => readdir(dir, (e, n) => (e ? reject(e) : resolve(n))));
    names = all.filter((n) => /\.(pem|crt|cer)$/i.test(n)).sort();
  } catch (error) {
    throw new ProviderError(
      'Invalid',
      `VAULT_CAPATH ${dir}: cannot list it (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (names.length === 0) throw new ProviderError('Invalid', `VAULT_CAPATH ${dir} holds no .pem, .crt or .cer file`);
  return Promise.all(names.map((n) => readNamedFile(ctx, join(dir, n), 'VAULT_CAPATH')));
}

/** Reads a file a variable names; a failure is Invalid and names the variable and the file, never the content. */
export function readNamedFile(ctx: ProviderContext, file: string, variable: string): Promise<Buffer> {
  return readSharedFile(ctx.readFile, file, variable);
}

// Go's strconv.ParseBool, which the vault CLI uses for VAULT_SKIP_VERIFY.
function parseGoBool(value: string | undefined, variable: string): boolean {
  if (value === undefined) return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new ProviderError('Invalid', `${variable} '${value}' is not a boolean: write true or false`);
}

function trimSlashes(text: string): string {
  return text.replace(/^\/+|\/+$/g, '');
}
