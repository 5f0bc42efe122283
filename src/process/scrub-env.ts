// Credentials that only secrets-exec needed are removed from the child: its own settings
// (SECRETS_EXEC_*, which can name where passwords come from) and the variables providers declare as
// their credentials (VAULT_TOKEN, …). `--keep-env VAR` keeps one.

/** Returns the environment without secrets-exec's own variables and credentials, except those kept. */
export function scrubEnv(
  env: Readonly<Record<string, string>>,
  options: { credentials: readonly string[]; keep: readonly string[] },
): Record<string, string> {
  const keep = new Set(options.keep);
  const drop = new Set(options.credentials);
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => keep.has(name) || !(name.startsWith('SECRETS_EXEC_') || drop.has(name))),
  );
}
