// The gcp provider's settings, read once per run from the wrapper's environment (ctx.env): Google's own
// variables first (GOOGLE_CLOUD_PROJECT, CLOUDSDK_CORE_PROJECT, SECRET_MANAGER_EMULATOR_HOST), and
// SECRETS_EXEC_GCP_ENDPOINT where Google has no standard. Every problem is an Invalid ProviderError that
// names the variable and says what to write instead.
import { ProviderError } from '../../errors/errors.js';
import type { ProviderContext } from '../../resolve/types.js';
import { isLoopbackHost } from '../shared/loopback.js';

type Env = ProviderContext['env'];

/** Where the requests go: Google's endpoints (global or regional), one fixed endpoint, or an emulator. */
export type GcpTarget =
  | { readonly kind: 'google' }
  | { readonly kind: 'endpoint'; readonly url: URL; readonly variable: string }
  | { readonly kind: 'emulator'; readonly url: URL };

export interface GcpSettings {
  readonly target: GcpTarget;
  /** The project of references that name none, when a variable gives it (else the credentials decide). */
  readonly envProject?: { readonly id: string; readonly variable: string } | undefined;
}

// The order of the issue and of gcloud: the Cloud client libraries' variable, then gcloud's property.
const PROJECT_VARIABLES = ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT'] as const;

/** A non-empty variable, or undefined. */
export function getVar(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Reads the settings; logs the emulator warning. */
export function readSettings(ctx: ProviderContext): GcpSettings {
  const { env } = ctx;
  const variable = PROJECT_VARIABLES.find((name) => getVar(env, name) !== undefined);
  const envProject = variable === undefined ? undefined : { id: getVar(env, variable) as string, variable };
  const target = readTarget(env);
  if (target.kind === 'emulator') {
    // Google's emulator convention: plain HTTP and no credentials, so it must never pass unnoticed.
    const where = `the emulator at ${target.url.host} over plain HTTP, without credentials`;
    ctx.log.warn('gcp.emulator', `SECRET_MANAGER_EMULATOR_HOST is set: Secret Manager requests go to ${where}`);
  }
  return { target, envProject };
}

function readTarget(env: Env): GcpTarget {
  const emulator = getVar(env, 'SECRET_MANAGER_EMULATOR_HOST');
  if (emulator !== undefined) {
    const text = emulator.includes('://') ? emulator : `http://${emulator}`;
    const url = parseUrl(text, 'SECRET_MANAGER_EMULATOR_HOST', 'HOST:PORT');
    if (url.protocol !== 'http:' || url.pathname !== '/' || url.port === '') {
      const why = 'must be HOST:PORT (the emulator speaks plain HTTP)';
      throw new ProviderError('Invalid', `SECRET_MANAGER_EMULATOR_HOST '${emulator}' ${why}`);
    }
    return { kind: 'emulator', url };
  }
  const endpoint = getVar(env, 'SECRETS_EXEC_GCP_ENDPOINT');
  if (endpoint === undefined) return { kind: 'google' };
  const url = parseUrl(endpoint, 'SECRETS_EXEC_GCP_ENDPOINT', 'https://HOST[:PORT]');
  // Credentials are sent to this endpoint: plain HTTP only where nothing crosses a network.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    const why = 'access tokens would cross the network unencrypted; use https://';
    throw new ProviderError('Invalid', `SECRETS_EXEC_GCP_ENDPOINT ${url.origin} is plain http: ${why}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderError('Invalid', `SECRETS_EXEC_GCP_ENDPOINT '${endpoint}' must start with https://`);
  }
  return { kind: 'endpoint', url, variable: 'SECRETS_EXEC_GCP_ENDPOINT' };
}

function parseUrl(text: string, variable: string, form: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new ProviderError('Invalid', `${variable} '${text}' is not valid: write ${form}`);
  }
}
