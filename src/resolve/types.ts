// The contract between the resolution engine and the providers (docs/architecture.md): a provider gets distinct
// canonical references — never `#KEY`, never `optional` — and returns one outcome per reference. A
// provider is a descriptor (cheap to import) whose `load()` brings in the implementation; the
// implementation creates one instance per run, which holds all of that run's state.
import type { ProviderError } from '../errors/errors.js';
import type { Logger } from '../log/logger.js';
import type { Secret } from '../log/secret.js';
import type { Reference, Scheme } from '../refs/index.js';
import type { Platform } from './platform.js';

/** A value a provider fetched, with the version it reports when it knows one (shown by `check`). */
export interface Fetched {
  readonly value: Secret;
  readonly version?: string | undefined;
}

/** One outcome per reference of a batch: a value, or a classified failure. */
export type Outcome = Fetched | ProviderError;

/** The command-line flags providers read, as the CLI resolved them (the flag, else its env twin). */
export interface ProviderFlags {
  /** --local-file / SECRETS_EXEC_LOCAL_FILE. */
  readonly localFile?: string | undefined;
  /** --vault-keep-token / SECRETS_EXEC_VAULT_KEEP_TOKEN. */
  readonly vaultKeepToken: boolean;
  /**
   * --watch: the instance lives across resolutions until the run ends (the program stopped by then), so
   * it keeps logins and leases alive meanwhile and may revoke them when closed.
   */
  readonly watching?: boolean | undefined;
}

/** Everything a provider may use from the world; built once per run by the command. */
export interface ProviderContext {
  /** The environment secrets-exec was started with (providers read their standard variables here). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly flags: ProviderFlags;
  readonly log: Logger;
  /** Aborted when the `--timeout` deadline passes: pass it to every request. */
  readonly signal: AbortSignal;
  /** The deadline as milliseconds since the epoch. */
  readonly deadline: number;
  readFile(path: string): Promise<Buffer>;
}

/** One provider's state for one run: clients, logins, caches. Made by `create`, ended by `close`. */
export interface ProviderInstance {
  /**
   * Maps `secret://NAME` to this provider's own reference; throws ProviderError('Invalid') if the store
   * cannot hold NAME.
   */
  mapGeneric(name: string): Reference;
  /** Fetches distinct references; returns outcomes in the batch's order. May throw: `classify` then applies to all. */
  resolve(batch: readonly Reference[]): Promise<Outcome[]>;
  /** Called once when resolution ends, however it ends (e.g. to revoke a token it obtained). */
  close(): Promise<void>;
}

/** What a provider's `load()` gives: how to make a run's instance, and how to read its failures. */
export interface ProviderModule {
  create(ctx: ProviderContext): ProviderInstance;
  /**
   * An instance may serve resolution after resolution (--watch) and finds every change each time: it
   * caches no value it did not get a lease for. Others are made afresh for each resolution.
   */
  readonly lasting?: boolean;
  /** Turns any failure of this provider (SDK error, HTTP status, network error) into a ProviderError. */
  classify(error: unknown): ProviderError;
}

/**
 * Where a provider stands in the automatic chain (docs/architecture.md): `configured` tiers come first and are
 * chosen by their configuration alone, then the detected `cloud`, then `development` stores, which are
 * used only when given explicitly and warned about at every fall-through.
 */
export type Tier = 'configured' | 'cloud' | 'development';

/** What put a configured or development tier in the automatic chain, for `detect`. */
interface TierSignal {
  /** The variable or option that decided (`VAULT_ADDR`, `--local-file`). */
  readonly source: string;
  readonly why: string;
}

/** A provider as the registry lists it: facts only, and `load()` for the code. Cheap to import. */
export interface ProviderDescriptor {
  /** The name used in `--provider`, logs and `check`. */
  readonly name: string;
  /** The reference schemes this provider serves directly. */
  readonly schemes: readonly Scheme[];
  readonly tier: Tier;
  /** Variables that hold credentials only secrets-exec needs: scrubbed from the child (docs/process-model.md). */
  readonly credentialEnv: readonly string[];
  /**
   * Every other variable it reads, itself or through its SDK (platform variables are in `platform`): --help lists
   * them, and a reference in one of them is refused when the provider is used (it would be read as written).
   */
  readonly env: readonly string[];
  /** Configured and development tiers: whether this run's configuration puts it in the automatic chain. */
  signal?(env: ProviderContext['env'], flags: ProviderFlags): TierSignal | undefined;
  /** What `signal` looked at, for the message of a chain that ends up empty (`VAULT_ADDR (not set)`). */
  readonly unsignalled?: string;
  /** How a user switches the tier on, for advice when no chain was found (`set VAULT_ADDR`). */
  readonly hint?: string;
  /** Clouds: how `--provider auto` recognises the platform. */
  readonly platform?: Platform;
  /** Imports the implementation; absent when this build does not have the provider yet. */
  readonly load?: () => Promise<ProviderModule>;
}

/**
 * The chain of tiers, asked for one tier at a time: tiers known from configuration are answered at once,
 * while the detected cloud may still be probing — so a reference that the first tier answers never waits.
 */
export interface TierSource {
  /** The provider at `index`, or undefined past the end; rejects with a ProviderError when detection failed. */
  at(index: number): Promise<string | undefined>;
  /** Why there is no tier at all (what detection checked), for the error of a `secret://` reference. */
  whyEmpty(): Promise<string>;
}

/** True when the outcome is a value. */
export function isFetched(outcome: Outcome): outcome is Fetched {
  return 'value' in outcome;
}
