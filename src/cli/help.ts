import { OPTIONS, envTwin } from './options.js';

/** The text of --help, made from the options table so the two cannot drift apart. */
export function formatHelp(version: string): string {
  const rows = OPTIONS.map((o) => {
    const flag = `--${o.flag}${o.value ? ` ${o.value}` : ''}`;
    return `  ${flag.padEnd(40)}${o.help}\n  ${''.padEnd(40)}env: ${envTwin(o.flag)}`;
  });
  return `secrets-exec ${version}: resolve secret references into the environment, then exec the program

Usage:
  secrets-exec [OPTIONS] [--] COMMAND [ARG...]   resolve, then exec COMMAND with the resolved environment
  secrets-exec check  [OPTIONS]                  resolve everything, print a redacted table, run nothing
  secrets-exec detect [OPTIONS]                  print the provider chain that would be used, and why
  secrets-exec ansible-vault-client [--vault-id LABEL]
                                                 Ansible's vault password client: print the password for
                                                 LABEL (from --ansible-vault-password LABEL=REF); also as
                                                 a symlink named *-client, e.g. secrets-exec-vault-client
  secrets-exec --help | --version

A variable whose whole value is a reference is replaced by the secret:
  secret://NAME[#KEY]            through the provider chain (Vault, the detected cloud, local)
  vault://MOUNT/PATH[#KEY]       aws-sm://NAME-OR-ARN[#KEY]     aws-ssm:///PARAMETER[#KEY]
  gcp-sm://[PROJECT/]NAME[#KEY]  oci-vault://OCID[#KEY]         ibm-sm://ID[#KEY]
  local://NAME[#KEY]             query: ?version=V  ?optional  (#/json/pointer selects deeper)

Options (flags win over their environment twins; lists in env are comma-separated):
${rows.join('\n')}

Exit status: the program's own; 125 secrets-exec failed (nothing was started); 126 not executable;
127 not found; 128+N the supervised program died of signal N.
`;
}
