// Where Application Default Credentials find a credentials file, read through ctx.readFile:
// GOOGLE_APPLICATION_CREDENTIALS when set (a file that cannot be read is an error, never skipped), else
// gcloud's application_default_credentials.json in $CLOUDSDK_CONFIG or ~/.config/gcloud when it exists.
import { join } from 'node:path';
import type { ProviderContext } from '../../resolve/types.js';
import { GcpAuthError } from './errors.js';
import { getVar } from './settings.js';
import { describeUnreadable } from '../../errors/unreadable-file.js';

type Env = ProviderContext['env'];

export interface CredentialFile {
  readonly path: string;
  /** How it was found, for messages: the variable, or gcloud's well-known file. */
  readonly variable: string;
  readonly json: Record<string, unknown>;
}

/** The credentials file ADC would use, or undefined when there is none (the metadata server is next). */
export async function findCredentialFile(ctx: ProviderContext): Promise<CredentialFile | undefined> {
  const explicit = getVar(ctx.env, 'GOOGLE_APPLICATION_CREDENTIALS');
  if (explicit !== undefined) return readCredentialFile(ctx, explicit, 'GOOGLE_APPLICATION_CREDENTIALS', true);
  const wellKnown = wellKnownFile(ctx.env);
  if (wellKnown === undefined) return undefined;
  return readCredentialFile(ctx, wellKnown, 'gcloud application default credentials', false);
}

/** gcloud's ADC file, where `gcloud auth application-default login` writes it. */
export function wellKnownFile(env: Env): string | undefined {
  const home = getVar(env, 'HOME');
  const dir = getVar(env, 'CLOUDSDK_CONFIG') ?? (home === undefined ? undefined : join(home, '.config', 'gcloud'));
  return dir === undefined ? undefined : join(dir, 'application_default_credentials.json');
}

async function readCredentialFile(
  ctx: ProviderContext,
  path: string,
  variable: string,
  required: boolean,
): Promise<CredentialFile | undefined> {
  let text: string;
  try {
    text = (await ctx.readFile(path)).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && code === 'ENOENT') return undefined;
    throw new GcpAuthError('Invalid', describeUnreadable(variable, path, error));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GcpAuthError('Invalid', `${variable} ${path} is not JSON (credential files from gcloud are)`);
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (json === null || typeof json !== 'object' || Array.isArray(json) || typeof type !== 'string') {
    throw new GcpAuthError('Invalid', `${variable} ${path} has no "type": it is not a Google credentials file`);
  }
  return { path, variable, json: json as Record<string, unknown> };
}

/** The kind of credential, and whose (never a key or a secret), for messages. */
export function describeFile(file: CredentialFile): string {
  const { json } = file;
  const type = String(json.type);
  const who =
    type === 'service_account' && typeof json.client_email === 'string'
      ? ` ${json.client_email}`
      : type === 'external_account' && typeof json.audience === 'string'
        ? ` for ${json.audience}`
        : '';
  return `${file.variable} (${type}${who})`;
}
