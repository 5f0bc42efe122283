// Warns about SECRETS_EXEC_* variables nothing reads, knowing every name the options, the providers and the
// process layer read (only this layer sees them all).
import { findUnknownSettings } from '../cli/unknown-settings.js';
import type { Logger } from '../log/logger.js';
import { CARRIER } from '../process/node-variables.js';
import { SUPERVISE_STATE } from '../process/relaunch.js';
import { PROVIDERS } from '../providers/registry.js';
import type { Env } from './io.js';

/** Logs one warning per unknown SECRETS_EXEC_* variable, with a suggestion when one is close. */
export function warnUnknownSettings(env: Env, log: Logger): void {
  const providerVariables = PROVIDERS.flatMap((p) => [...p.env, ...p.credentialEnv]);
  const unknown = findUnknownSettings({
    env,
    known: [...providerVariables, CARRIER, SUPERVISE_STATE],
    standard: providerVariables,
  });
  for (const { name, suggestion } of unknown) {
    const hint = suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
    log.warn('settings.unknown', `${name} is not a secrets-exec setting and is ignored${hint}`);
  }
}
