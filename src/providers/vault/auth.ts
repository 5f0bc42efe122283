// Getting a Vault token (README "HashiCorp Vault"), one function per method, and giving it back:
//   token       VAULT_TOKEN, or the file VAULT_TOKEN_FILE names (a Vault Agent sink)
//   approle     POST auth/MOUNT/login {role_id, secret_id}: VAULT_ROLE_ID[_FILE] + VAULT_SECRET_ID[_FILE], or a
//               response-wrapped secret id VAULT_WRAPPED_SECRET_ID[_FILE], checked with sys/wrapping/lookup
//               (it must come from auth/MOUNT/role/…/secret-id) and opened with sys/wrapping/unwrap
//   kubernetes  POST auth/MOUNT/login {role, jwt}: the service-account token file (SECRETS_EXEC_VAULT_JWT_FILE,
//               default /var/run/secrets/kubernetes.io/serviceaccount/token) + SECRETS_EXEC_VAULT_ROLE
//   jwt         POST auth/MOUNT/login {role, jwt}: SECRETS_EXEC_VAULT_JWT_FILE (workload identity) + optional role
//   aws         POST auth/MOUNT/login with a signed sts:GetCallerIdentity request (aws-login.ts)
//   agent       no token: a Vault Agent or Vault Proxy (VAULT_AGENT_ADDR) configured with use_auto_auth_token
//               adds its own to each request that carries none (the default when VAULT_AGENT_ADDR is set
//               and no credential is)
// A token obtained by login is revoked with POST auth/token/revoke-self (see vault.ts for when).
import { ProviderError } from '../../errors/errors.js';
import type { ProviderContext } from '../../resolve/types.js';
import type { VaultClient } from './client.js';
import { toProviderError } from './errors.js';
import { getVar, readNamedFile, type VaultSettings } from './settings.js';
import { numberOf } from '../../formats/exact-json.js';
import { awsSdkFiles } from '../shared/aws-sdk-files.js';
import { checkVendorFiles } from '../shared/vendor-file.js';

const KUBERNETES_TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** A token to send, and whether secrets-exec created it (and so should revoke it). */
export interface VaultLogin {
  readonly token: string;
  readonly obtained: boolean;
  readonly method: VaultSettings['method'];
  /** For a login: the token's TTL in seconds and whether renew-self may extend it. */
  readonly ttlSeconds?: number | undefined;
  readonly renewable?: boolean | undefined;
}

interface LoginInput {
  readonly settings: VaultSettings;
  readonly client: VaultClient;
  readonly ctx: ProviderContext;
}

/** Logs in with the configured method (or takes the given token). */
export async function logIn(input: LoginInput): Promise<VaultLogin> {
  const { settings, ctx } = input;
  if (settings.method === 'token') {
    const token = await readCredential(ctx, 'VAULT_TOKEN');
    if (token === undefined)
      throw new ProviderError('Invalid', 'SECRETS_EXEC_VAULT_AUTH=token needs VAULT_TOKEN or VAULT_TOKEN_FILE');
    return { token, obtained: false, method: 'token' };
  }
  // No token: the Vault Agent or Vault Proxy adds its auto-auth token to each request that has none.
  if (settings.method === 'agent') return { token: '', obtained: false, method: 'agent' };
  const started = Date.now();
  const { body, redact } = await buildLoginBody(input);
  const path = `auth/${settings.authMount}/login`;
  let answer: Record<string, unknown> | undefined;
  try {
    answer = await input.client.send({ method: 'POST', path, body, signal: ctx.signal });
  } catch (error) {
    throw toProviderError(
      error,
      { action: `log in with ${settings.method} at ${path}`, redact, login: true },
      input.client.address,
    );
  }
  const auth = answer?.auth as Record<string, unknown> | null | undefined;
  const token = auth?.client_token;
  if (typeof token !== 'string' || token === '') {
    throw new ProviderError(
      'Invalid',
      `log in with ${settings.method} at ${path}: Vault answered without auth.client_token`,
    );
  }
  ctx.log.debug('vault.login', `logged in to Vault with ${settings.method}`, {
    path,
    policies: policiesOf(auth),
    ms: Date.now() - started,
  });
  const ttlSeconds = numberOf(auth?.lease_duration);
  return { token, obtained: true, method: settings.method, ttlSeconds, renewable: auth?.renewable === true };
}

/** Revokes a token secrets-exec obtained (POST auth/token/revoke-self answers 204). */
export async function revokeToken(client: VaultClient, token: string, signal: AbortSignal): Promise<void> {
  try {
    await client.send({ method: 'POST', path: 'auth/token/revoke-self', token, signal });
  } catch (error) {
    throw toProviderError(
      error,
      { action: 'revoke the login token (auth/token/revoke-self)', redact: [token] },
      client.address,
    );
  }
}

async function buildLoginBody(input: LoginInput): Promise<{ body: Record<string, string>; redact: string[] }> {
  const { settings, ctx } = input;
  const role = getVar(ctx.env, 'SECRETS_EXEC_VAULT_ROLE');
  switch (settings.method) {
    case 'approle': {
      const roleId = await readCredential(ctx, 'VAULT_ROLE_ID');
      if (roleId === undefined)
        throw new ProviderError('Invalid', 'AppRole login needs VAULT_ROLE_ID or VAULT_ROLE_ID_FILE');
      const secretId = (await readCredential(ctx, 'VAULT_SECRET_ID')) ?? (await unwrapSecretId(input));
      const body: Record<string, string> = { role_id: roleId };
      // A role with bind_secret_id=false logs in with its role id alone; Vault says so if it needs one.
      if (secretId !== undefined) body.secret_id = secretId;
      return { body, redact: [roleId, secretId ?? ''] };
    }
    case 'kubernetes': {
      if (role === undefined)
        throw new ProviderError(
          'Invalid',
          'Kubernetes login needs SECRETS_EXEC_VAULT_ROLE (the Vault role bound to this service account)',
        );
      const file = getVar(ctx.env, 'SECRETS_EXEC_VAULT_JWT_FILE') ?? KUBERNETES_TOKEN_FILE;
      const jwt = (await readNamedFile(ctx, file, 'the service-account token file')).toString('utf8').trim();
      return { body: { role, jwt }, redact: [jwt] };
    }
    case 'jwt': {
      const file = getVar(ctx.env, 'SECRETS_EXEC_VAULT_JWT_FILE');
      if (file === undefined)
        throw new ProviderError(
          'Invalid',
          'JWT login needs SECRETS_EXEC_VAULT_JWT_FILE (the workload identity token file)',
        );
      const jwt = (await readNamedFile(ctx, file, 'SECRETS_EXEC_VAULT_JWT_FILE')).toString('utf8').trim();
      return { body: role === undefined ? { jwt } : { role, jwt }, redact: [jwt] };
    }
    case 'aws': {
      // Loaded on use: the AWS signer and credential chain cost start-up only for this method.
      const [{ buildAwsLoginData }, { homedir }] = await Promise.all([import('./aws-login.js'), import('node:os')]);
      // The SDK's chain reads its shared and token files itself, uncapped: they are checked first.
      await checkVendorFiles(ctx.readFile, awsSdkFiles(ctx.env, ctx.env.HOME || homedir()));
      const data = await buildAwsLoginData({ env: ctx.env });
      return { body: role === undefined ? data : { ...data, role }, redact: [] };
    }
    case 'token':
    case 'agent':
      throw new ProviderError('Invalid', `${settings.method} auth has no login`);
  }
}

// The response-wrapped secret id: look the wrapping token up first, so that a token minted elsewhere
// (someone who intercepted and re-wrapped it) is refused, as Vault's AppRole guidance recommends.
async function unwrapSecretId(input: LoginInput): Promise<string | undefined> {
  const { ctx, client, settings } = input;
  const wrapping = await readCredential(ctx, 'VAULT_WRAPPED_SECRET_ID');
  if (wrapping === undefined) return undefined;
  const redact = [wrapping];
  let lookup: Record<string, unknown> | undefined;
  try {
    lookup = await client.send({
      method: 'POST',
      path: 'sys/wrapping/lookup',
      body: { token: wrapping },
      signal: ctx.signal,
    });
  } catch (error) {
    throw toProviderError(
      error,
      { action: 'look up the wrapped secret id (sys/wrapping/lookup)', redact, login: true },
      client.address,
    );
  }
  const creationPath = (lookup?.data as Record<string, unknown> | undefined)?.creation_path;
  const expected = new RegExp(`^auth/${escapeRegExp(settings.authMount)}/role/[^/]+/secret-id$`);
  if (typeof creationPath !== 'string' || !expected.test(creationPath)) {
    throw new ProviderError(
      'Denied',
      `the wrapped secret id was not created by auth/${settings.authMount}/role/NAME/secret-id ` +
        `(creation path: ${typeof creationPath === 'string' ? creationPath : 'none'}): refusing to use it`,
    );
  }
  let unwrapped: Record<string, unknown> | undefined;
  try {
    unwrapped = await client.send({ method: 'POST', path: 'sys/wrapping/unwrap', token: wrapping, signal: ctx.signal });
  } catch (error) {
    throw toProviderError(
      error,
      { action: 'unwrap the secret id (sys/wrapping/unwrap; a wrapping token works once)', redact, login: true },
      client.address,
    );
  }
  const secretId = (unwrapped?.data as Record<string, unknown> | undefined)?.secret_id;
  if (typeof secretId !== 'string' || secretId === '')
    throw new ProviderError('Invalid', 'sys/wrapping/unwrap answered without data.secret_id');
  return secretId;
}

// NAME, or the file NAME_FILE names (trimmed: files usually end with a newline).
async function readCredential(ctx: ProviderContext, name: string): Promise<string | undefined> {
  const direct = getVar(ctx.env, name);
  if (direct !== undefined) return direct.trim();
  const file = getVar(ctx.env, `${name}_FILE`);
  if (file === undefined) return undefined;
  const text = (await readNamedFile(ctx, file, `${name}_FILE`)).toString('utf8').trim();
  if (text === '') throw new ProviderError('Invalid', `${name}_FILE ${file} is empty`);
  return text;
}

function policiesOf(auth: Record<string, unknown> | null | undefined): string | undefined {
  const policies = auth?.policies;
  return Array.isArray(policies) ? policies.filter((p) => typeof p === 'string').join(',') : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
