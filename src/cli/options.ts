// Every option of the command line, with its environment twin (README "Command line"). One table serves the parser,
// the help text and the list of variables scrubbed from the child.

type OptionKind = 'string' | 'list' | 'boolean';

export interface OptionSpec {
  /** The long flag without dashes. */
  readonly flag: string;
  readonly kind: OptionKind;
  /** The placeholder shown in help for a value. */
  readonly value?: string;
  readonly help: string;
  /** What an empty value means, for the one option where it means something; elsewhere it is an error. */
  readonly emptyMeans?: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    flag: 'provider',
    kind: 'string',
    value: 'LIST',
    help: 'auto (default), or a comma-separated chain of providers for secret://',
  },
  { flag: 'env-file', kind: 'list', value: 'FILE', help: 'read VAR=REFERENCE lines (dotenv syntax; references only)' },
  {
    flag: 'load',
    kind: 'list',
    value: 'REF',
    help: 'load every key of a map-valued secret (?prefix=P&upcase&override)',
  },
  {
    flag: 'local-file',
    kind: 'string',
    value: 'FILE',
    help: 'the local development store (JSON, YAML or dotenv); not for production',
  },
  {
    flag: 'ansible-vault',
    kind: 'list',
    value: 'FILE',
    help: 'decrypt an Ansible Vault file in memory and load its keys',
  },
  {
    flag: 'ansible-vault-password',
    kind: 'list',
    value: '[LABEL=]REF',
    help: 'where the Ansible Vault password comes from',
  },
  { flag: 'vault-id', kind: 'string', value: 'LABEL', help: 'ansible-vault-client: the vault id Ansible asks for' },
  {
    flag: 'ansible-vault-prefix',
    kind: 'string',
    value: 'PREFIX',
    help: 'prefix for the variables Ansible Vault files load',
    emptyMeans: 'no prefix',
  },
  { flag: 'ansible-vault-upcase', kind: 'boolean', help: 'upper-case the variables Ansible Vault files load' },
  { flag: 'ansible-vault-override', kind: 'boolean', help: 'let Ansible Vault keys replace variables already set' },
  { flag: 'timeout', kind: 'string', value: 'DURATION', help: 'one deadline for all resolution (default 30s)' },
  {
    flag: 'literal',
    kind: 'list',
    value: 'VAR',
    help: 'pass VAR on as written although it looks like a mistyped reference',
  },
  {
    flag: 'allow-name',
    kind: 'list',
    value: 'VAR',
    help: 'let a loaded secret set VAR although it changes how programs start (LD_*)',
  },
  { flag: 'keep-env', kind: 'list', value: 'VAR', help: 'do not scrub VAR from the child' },
  { flag: 'strict', kind: 'boolean', help: 'no fall-through between provider tiers' },
  { flag: 'log-level', kind: 'string', value: 'LEVEL', help: 'error, warn, info (default) or debug' },
  { flag: 'log-format', kind: 'string', value: 'FORMAT', help: 'text (default) or json' },
  { flag: 'supervise', kind: 'boolean', help: "stay the parent, forward signals, exit with the child's status" },
  { flag: 'vault-keep-token', kind: 'boolean', help: 'do not revoke a Vault token that secrets-exec logged in for' },
  {
    flag: 'detect-budget',
    kind: 'string',
    value: 'DURATION',
    help: 'time allowed for cloud metadata probes (default 300ms)',
  },
  // Rotation (docs/rotation.md): watching implies supervise.
  { flag: 'watch', kind: 'string', value: 'DURATION', help: 'resolve again every DURATION (±10 %); act on a change' },
  {
    flag: 'on-change',
    kind: 'string',
    value: 'ACTION',
    help: 'restart (default), signal:NAME or exit (status 75) when a value changed',
  },
  { flag: 'debounce', kind: 'string', value: 'DURATION', help: 'group the changes seen within DURATION (default 0s)' },
  {
    flag: 'watch-fail-after',
    kind: 'string',
    value: 'DURATION',
    help: 'turn failing re-resolution lasting DURATION into the exit action',
  },
  { flag: 'stop-signal', kind: 'string', value: 'SIGNAL', help: 'what stops the program to restart it (default TERM)' },
  { flag: 'stop-timeout', kind: 'string', value: 'DURATION', help: 'wait this long before KILL (default 10s)' },
  {
    flag: 'mask',
    kind: 'boolean',
    help: "redact resolved values (also base64, URL, JSON forms) in the program's output",
  },
];

/** `env-file` → `SECRETS_EXEC_ENV_FILE`. */
export function envTwin(flag: string): string {
  return `SECRETS_EXEC_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * True when secrets-exec was started under a name Ansible takes for a vault password client script: one
 * ending in `-client` or `-client.EXT` (a symlink such as secrets-exec-vault-client).
 */
export function isVaultClientName(argv0: string): boolean {
  return /-client(\.[^./]+)?$/.test(argv0.slice(argv0.lastIndexOf('/') + 1));
}

/** Settings that exist only as variables (no flag). */
export const ENV_ONLY = {
  metadataUrl: 'SECRETS_EXEC_METADATA_URL',
  checkKey: 'SECRETS_EXEC_CHECK_KEY',
} as const;

/** What each variable-only setting does, for --help. */
export const ENV_ONLY_HELP: Readonly<Record<keyof typeof ENV_ONLY, string>> = {
  metadataUrl: 'base address of the cloud metadata service (default http://169.254.169.254)',
  checkKey: 'check: key of HMAC fingerprints (32+ characters); none without it',
};
