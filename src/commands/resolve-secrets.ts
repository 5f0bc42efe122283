// The part `run` and `check` share: read the env files, plan, read the Ansible Vault files, then fetch
// every reference through the run's providers — with the chain worked out only when a `secret://`
// reference needs it (detection may probe the network; a run with only explicit schemes should not pay
// for that), and then in parallel with the first tier's requests.
import type { AnsibleVaultOptions } from '../ansible-vault/load-files.js';
import type { Config } from '../cli/config.js';
import { detectTiers } from '../detect/detect.js';
import { ResolutionFailed } from '../errors/errors.js';
import type { Logger } from '../log/logger.js';
import { PROVIDERS } from '../providers/registry.js';
import { startDeadline } from '../resolve/deadline.js';
import { fixedTiers } from '../resolve/fetch-all.js';
import { planResolution, type EnvFileEntries, type Plan } from '../resolve/plan.js';
import { openProviders } from '../resolve/providers.js';
import { resolveAll, type DerivedLoad, type Resolution } from '../resolve/resolve-all.js';
import { DEFAULT_RETRY } from '../resolve/retry.js';
import type { ProviderContext, ProviderDescriptor, ProviderFlags } from '../resolve/types.js';
import { readEnvFiles } from './env-files.js';
import type { Env, Io } from './io.js';

/** The command-line flags providers read, taken from the run's configuration. */
export function providerFlags(config: Config): ProviderFlags {
  return { localFile: config.localFile, vaultKeepToken: config.vaultKeepToken, watching: config.watch !== undefined };
}

/**
 * Provider instances kept from one resolution to the next (--watch): a login, its token's renewal, the
 * leases of dynamic secrets and open connections of a lasting provider outlive a poll. Instances keep the
 * context they were made with, so its deadline, stop signal and logger are those of the resolution running now.
 */
export interface KeptProviders {
  /** Closes every kept instance (a Vault token obtained by login is revoked); once, at the end of the run. */
  close(): Promise<void>;
}

interface KeptState extends KeptProviders {
  set?: ReturnType<typeof openProviders>;
  current?: { signal: AbortSignal; deadline: number; log: Logger };
}

/** An empty set of kept providers, filled by the first resolution that is given it. */
export function keepProviders(): KeptProviders {
  const state: KeptState = {
    close: async () => {
      await state.set?.closeAll();
      state.set = undefined;
    },
  };
  return state;
}

/**
 * Resolves every reference of the run; logs the summary line. Throws ResolutionFailed or a UsageError; with
 * `keepFailures` (`check`), failed references come back in `failures` alongside everything that resolved.
 */
export async function resolveSecrets(input: {
  config: Config;
  env: Env;
  io: Io;
  log: Logger;
  keepFailures?: boolean;
  kept?: KeptProviders | undefined;
}): Promise<Resolution> {
  const { config, env, io, log, keepFailures = false, kept } = input;
  const started = io.now();
  const envFiles: EnvFileEntries[] = await readEnvFiles(config.envFiles, io.readFile);
  const { plan, errors } = planResolution({ env, envFiles, loads: config.loads, literals: config.literals });
  if (errors.length > 0 && !keepFailures) throw new ResolutionFailed(errors);
  // Ansible Vault files are read and checked now, so a malformed one fails before any fetch. The module
  // (with crypto and the YAML parser) is evaluated only when a file is given.
  const derived =
    config.ansibleVaults.length === 0
      ? []
      : await (await import('../ansible-vault/load-files.js')).loadAnsibleVaults(
          ansibleVaultOptions(config),
          io.readFile,
          log,
        );
  const resolved = await resolvePlan({
    plan,
    derived,
    config,
    env,
    io,
    log,
    providers: PROVIDERS,
    keepFailures,
    kept,
  });
  const resolution = { ...resolved, failures: [...errors, ...resolved.failures] };
  const ms = io.now() - started;
  const count = resolution.variables.filter((v) => v.value !== undefined).length;
  if (count > 0 || plan.wants.length > 0) {
    const from = resolution.providers.length > 0 ? ` from ${resolution.providers.join(', ')}` : '';
    log.info('resolve.done', `resolved ${count} secret${count === 1 ? '' : 's'}${from} in ${ms} ms`);
  }
  return resolution;
}

/** Resolves exactly the references of `plan` (no env, env file or Ansible Vault file is read). */
export function resolvePlanned(input: {
  plan: Plan;
  config: Config;
  env: Env;
  io: Io;
  log: Logger;
}): Promise<Resolution> {
  return resolvePlan({ ...input, derived: [], providers: PROVIDERS });
}

/** The `--ansible-vault*` options of the run. */
export function ansibleVaultOptions(config: Config): AnsibleVaultOptions {
  return {
    files: config.ansibleVaults,
    passwords: config.ansibleVaultPasswords,
    naming: { prefix: config.ansibleVaultPrefix, upcase: config.ansibleVaultUpcase },
    override: config.ansibleVaultOverride,
  };
}

// Fetching under one deadline, with the run's provider instances closed however it ends.
async function resolvePlan(input: {
  plan: Plan;
  derived: readonly DerivedLoad[];
  config: Config;
  env: Env;
  io: Io;
  log: Logger;
  providers: readonly ProviderDescriptor[];
  keepFailures?: boolean;
  kept?: KeptProviders | undefined;
}): Promise<Resolution> {
  const { plan, derived, config, env, io, log, providers, keepFailures } = input;
  const kept = input.kept as KeptState | undefined;
  const flags = providerFlags(config);
  const refs = [...plan.wants.map((w) => w.ref), ...plan.loads.map((l) => l.ref), ...derived.flatMap((d) => d.refs)];
  const tiers = refs.some((r) => r.scheme === 'secret')
    ? detectTiers({
        providers,
        chain: config.providers,
        env,
        flags,
        metadataUrl: config.metadataUrl,
        budgetMs: config.detectBudgetMs,
        now: io.now,
      })
    : fixedTiers([]);
  const deadline = startDeadline(config.timeoutMs, io.now);
  // Requests stop at the deadline or at a stop signal, whichever comes first; cleanup has its own.
  const current = {
    signal: io.interrupt ? AbortSignal.any([deadline.signal, io.interrupt]) : deadline.signal,
    deadline: deadline.at,
    log,
  };
  if (kept !== undefined) kept.current = current;
  const ctx: ProviderContext = {
    env,
    flags,
    get log() {
      return (kept?.current ?? current).log;
    },
    get signal() {
      return (kept?.current ?? current).signal;
    },
    get deadline() {
      return (kept?.current ?? current).deadline;
    },
    readFile: io.readFile,
  };
  if (kept !== undefined && kept.set === undefined) kept.set = openProviders({ providers, ctx, log });
  const run = kept?.set ?? openProviders({ providers, ctx, log });
  try {
    return await resolveAll({
      plan,
      derived,
      env,
      allowNames: config.allowNames,
      keepFailures,
      fetch: {
        loadProvider: (name) => run.get(name),
        providerForScheme: (scheme) => run.forScheme(scheme),
        tiers,
        warnsOnFallThrough: (name) => providers.find((p) => p.name === name)?.tier === 'development',
        strict: config.strict,
        ctx,
        policy: io.retry ?? DEFAULT_RETRY,
        now: io.now,
        log,
      },
    });
  } finally {
    deadline.dispose();
    await (kept === undefined ? run.closeAll() : run.closeTransient());
  }
}
