import { SCHEME_SYNTAX } from '../refs/schemes.js';
import { SCHEMES } from '../refs/types.js';
import { ENV_ONLY, ENV_ONLY_HELP, OPTIONS, envTwin } from './options.js';

/** What --help says about one provider: the variables it reads, taken from its descriptor. */
export interface HelpProvider {
  readonly name: string;
  /** Variables it reads: credentials and settings (its own and its SDK's). */
  readonly env: readonly string[];
  /** Variables that make `--provider auto` pick it. */
  readonly platformEnv: readonly string[];
}

/**
 * The text of --help, made from the tables the code uses — the options, the variable-only settings, the
 * providers' descriptors and the schemes' parameters — so the help cannot drift from what is read.
 */
export function formatHelp(version: string, providers: readonly HelpProvider[]): string {
  const rows = OPTIONS.map((o) => {
    const flag = `--${o.flag}${o.value ? ` ${o.value}` : ''}`;
    return `  ${flag.padEnd(40)}${o.help}\n  ${''.padEnd(40)}env: ${envTwin(o.flag)}`;
  });
  const own = (Object.keys(ENV_ONLY) as (keyof typeof ENV_ONLY)[]).map(
    (k) => `  ${ENV_ONLY[k].padEnd(40)}${ENV_ONLY_HELP[k]}`,
  );
  const variables = providers.flatMap((p) => [
    ...(p.env.length > 0 ? wrap(`${p.name}:`, p.env) : []),
    ...(p.platformEnv.length > 0 ? wrap(`${p.name} (detection):`, p.platformEnv) : []),
  ]);
  const params = SCHEMES.filter((s) => SCHEME_SYNTAX[s].params.length > 0).map(
    (s) => `  ${`${s}://`.padEnd(14)}${SCHEME_SYNTAX[s].params.map((p) => `?${p}=`).join('  ')}`,
  );
  return `secrets-exec ${version}: resolve secret references into the environment, then exec the program

Usage:
  secrets-exec [OPTIONS] [--] COMMAND [ARG...]   resolve, then exec COMMAND with the resolved environment
  secrets-exec [OPTIONS] check                   resolve everything, print a redacted table, run nothing
  secrets-exec [OPTIONS] detect                  print the provider chain that would be used, and why
  secrets-exec ansible-vault-client [--vault-id LABEL]
                                                 Ansible's vault password client: print the password for
                                                 LABEL (from --ansible-vault-password LABEL=REF); also as
                                                 a symlink named *-client, e.g. secrets-exec-vault-client
  secrets-exec --help | --version
  (a program named check or detect runs after --)

A variable whose whole value is a reference is replaced by the secret:
  secret://NAME[#KEY]            through the provider chain (Vault, the detected cloud, local)
  vault://MOUNT/PATH[#KEY]       aws-sm://NAME-OR-ARN[#KEY]     aws-ssm:///PARAMETER[#KEY]
  gcp-sm://[PROJECT/]NAME[#KEY]  oci-vault://OCID[#KEY]         ibm-sm://ID[#KEY]
  local://NAME[#KEY]             query: ?version=V  ?optional  (#/json/pointer selects deeper)
Store parameters:
${params.join('\n')}

Options (a flag replaces its environment twin, lists included; lists in env are comma-separated; an
empty variable counts as unset; only list options may be given twice):
${rows.join('\n')}

Variables secrets-exec reads itself (all SECRETS_EXEC_* variables are removed from the program's environment):
${own.join('\n')}

Variables each provider reads when a reference needs it (a reference in one of them is refused):
${variables.join('\n')}

Exit status: the program's own; 125 secrets-exec failed (nothing was started); 126 not executable;
127 not found; 128+N the supervised program died of signal N.
`;
}

// `label NAME NAME …` wrapped under 110 columns, continuation lines indented under the first name.
function wrap(label: string, names: readonly string[]): string[] {
  const indent = ' '.repeat(Math.max(label.length + 3, 22));
  const lines: string[] = [];
  let line = `  ${label}`.padEnd(indent.length);
  for (const name of names) {
    if (line.length + name.length + 1 > 110 && line.trim() !== label) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${name} `;
  }
  lines.push(line.trimEnd());
  return lines;
}
