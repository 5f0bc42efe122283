// `secrets-exec detect`: print the chain `secret://` would walk and the evidence for it; exit 125 when
// there is no chain or detection cannot decide.
import type { Config } from '../cli/config.js';
import { detectChain } from '../detect/detect.js';
import type { Logger } from '../log/logger.js';
import { PROVIDERS } from '../providers/registry.js';
import type { Env, Io, RunResult } from './io.js';
import { formatDetection } from './report.js';
import { providerFlags } from './resolve-secrets.js';

/** Works out the chain with its evidence and prints it. */
export async function detectCommand(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  const detection = await detectChain({
    providers: PROVIDERS,
    chain: config.providers,
    env,
    flags: providerFlags(config),
    metadataUrl: config.metadataUrl,
    budgetMs: config.detectBudgetMs,
    now: io.now,
  });
  io.stdout(formatDetection(detection, config.logFormat));
  if (detection.error !== undefined) log.error('detect.ambiguous', detection.error);
  return { action: 'exit', status: detection.tiers.length > 0 && detection.error === undefined ? 0 : 125 };
}
