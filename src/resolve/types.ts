// The contract between the resolution engine and the providers (STYLE §5): a provider gets distinct
// canonical references — never `#KEY`, never `optional` — and returns one outcome per reference.
import type { ProviderError } from '../errors/errors.js';
import type { Logger } from '../log/logger.js';
import type { Secret } from '../log/secret.js';
import type { Reference, Scheme } from '../refs/index.js';
import type { Config } from '../cli/config.js';

/** A value a provider fetched, with the version it reports when it knows one (shown by `check`). */
export interface Fetched {
  readonly value: Secret;
  readonly version?: string | undefined;
}

/** One outcome per reference of a batch: a value, or a classified failure. */
export type Outcome = Fetched | ProviderError;

/** Everything a provider may use from the world; built once per run by the entrypoint. */
export interface ProviderContext {
  /** The environment secrets-exec was started with (providers read their standard variables here). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly config: Config;
  readonly log: Logger;
  /** Aborted when the `--timeout` deadline passes: pass it to every request. */
  readonly signal: AbortSignal;
  /** The deadline as milliseconds since the epoch. */
  readonly deadline: number;
  readFile(path: string): Promise<Buffer>;
}

export interface Provider {
  /** The name used in `--provider`, logs and `check` (`vault`, `aws`, `local`, …). */
  readonly name: string;
  /** The reference schemes this provider serves directly. */
  readonly schemes: readonly Scheme[];
  /** Maps `secret://NAME` to this provider's own reference; throws ProviderError('Invalid') if the store cannot hold NAME. */
  mapGeneric(name: string, ctx: ProviderContext): Reference;
  /** Fetches distinct references; returns outcomes in the batch's order. May throw: `classify` then applies to all. */
  resolve(batch: readonly Reference[], ctx: ProviderContext): Promise<Outcome[]>;
  /** Turns any failure of this provider (SDK error, HTTP status, network error) into a ProviderError. */
  classify(error: unknown): ProviderError;
  /** Called once after resolution and before exec (e.g. to revoke a token it obtained). */
  close?(ctx: ProviderContext): Promise<void>;
}

export function isFetched(outcome: Outcome): outcome is Fetched {
  return 'value' in outcome;
}
