// --help: the help text with the providers' variables taken from their descriptors (only this layer sees them).
import { formatHelp } from '../cli/help.js';
import { PROVIDERS } from '../providers/registry.js';

/** The whole --help text. */
export function helpText(version: string): string {
  return formatHelp(
    version,
    PROVIDERS.map((p) => ({
      name: p.name,
      env: [...p.credentialEnv, ...p.env],
      platformEnv: p.platform?.variables.map((v) => v.env) ?? [],
    })),
  );
}
