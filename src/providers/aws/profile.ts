// AWS_PROFILE naming a profile that exists in neither shared file. The SDK then finds no region (or no
// credentials) and says only that, so the real cause — a misspelt or absent profile — is looked up here,
// after a call failed, in the files the SDK reads: AWS_CONFIG_FILE (default ~/.aws/config, sections
// `[profile NAME]`, or `[default]`) and AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials, `[NAME]`).
import { ProviderError } from '../../errors/errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The shared files the SDK reads, as this environment names them. */
export function sharedFiles(env: Env, home: string): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE || `${home}/.aws/config`,
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`,
  };
}

/** The profile names of one shared file's text (`[profile NAME]` in config; `[NAME]` in both). */
export function profileNames(text: string, kind: 'config' | 'credentials'): Set<string> {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*([^\]]*?)\s*\]/.exec(line)?.[1];
    if (section === undefined) continue;
    const prefixed = /^profile\s+(.+)$/.exec(section)?.[1];
    if (kind === 'credentials') names.add(section);
    else if (prefixed !== undefined) names.add(prefixed);
    else if (section === 'default') names.add(section);
  }
  return names;
}

/**
 * An Invalid error naming the profile and the files looked in when AWS_PROFILE names a profile found in
 * neither file; undefined when no profile is set or it exists (the SDK's own error then stands).
 */
export async function missingProfile(
  env: Env,
  readText: (path: string) => Promise<string | undefined>,
  home: string,
): Promise<ProviderError | undefined> {
  const profile = env.AWS_PROFILE;
  if (!profile) return undefined;
  const files = sharedFiles(env, home);
  const looked: string[] = [];
  for (const kind of ['config', 'credentials'] as const) {
    const text = await readText(files[kind]);
    if (text !== undefined && profileNames(text, kind).has(profile)) return undefined;
    looked.push(`${files[kind]}${text === undefined ? ' (not found)' : ''}`);
  }
  return new ProviderError(
    'Invalid',
    `the AWS profile '${profile}' (AWS_PROFILE) is missing: it is in neither ${looked.join(' nor ')}; ` +
      'fix AWS_PROFILE, or set AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE to the files that hold it',
  );
}
