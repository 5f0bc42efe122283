// The files the AWS SDK's default credential chain and its config loader open by themselves, as the
// environment names them (shared here: the aws provider and Vault's AWS IAM login both use that chain).
import type { VendorFile } from './vendor-file.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The shared config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else under the
 * home directory, with `~/` expanded as the SDK does), and the token files the environment names.
 */
export function awsSdkFiles(env: Env, home: string): VendorFile[] {
  const expand = (path: string): string => (path.startsWith('~/') ? `${home}/${path.slice(2)}` : path);
  // The SDK ignores a shared file it cannot read; a default one is let be so (a named one is a mistake).
  const files: VendorFile[] = [
    {
      path: expand(env.AWS_CONFIG_FILE || `${home}/.aws/config`),
      what: env.AWS_CONFIG_FILE ? 'AWS_CONFIG_FILE' : 'the AWS config file',
      mayBeMissing: true,
      unreadableIsAbsent: !env.AWS_CONFIG_FILE,
    },
    {
      path: expand(env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`),
      what: env.AWS_SHARED_CREDENTIALS_FILE ? 'AWS_SHARED_CREDENTIALS_FILE' : 'the AWS credentials file',
      mayBeMissing: true,
      unreadableIsAbsent: !env.AWS_SHARED_CREDENTIALS_FILE,
    },
  ];
  // Token files: a missing one is the SDK's to report (another source of the chain may come first).
  for (const variable of ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE']) {
    const path = env[variable];
    if (path) files.push({ path, what: variable, mayBeMissing: true });
  }
  return files;
}
