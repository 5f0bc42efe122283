// In-process helpers for the Vault provider's tests: a ProviderContext with an explicit environment (never
// the runner's), a logger that keeps its lines, and references in their canonical shape.
import { readFile } from 'node:fs/promises';
import { createLogger } from '../../src/log/logger.js';
import type { Reference } from '../../src/refs/index.js';
import type { ProviderContext } from '../../src/resolve/types.js';

export interface TestContext {
  readonly ctx: ProviderContext;
  /** Every log line written, at debug level. */
  readonly lines: string[];
  readonly abort: AbortController;
}

/** A fresh run's context: explicit environment and flags, debug logging, a 30 s deadline. */
export function makeContext(env: Record<string, string>, options: { keepToken?: boolean } = {}): TestContext {
  const lines: string[] = [];
  const abort = new AbortController();
  const ctx: ProviderContext = {
    env,
    flags: { vaultKeepToken: options.keepToken ?? false },
    log: createLogger({ level: 'debug', format: 'text', write: (line) => lines.push(line) }),
    signal: abort.signal,
    deadline: Date.now() + 30_000,
    readFile: (path) => readFile(path),
  };
  return { ctx, lines, abort };
}

/** A canonical fetch reference for vault://PATH[?version=V]. */
export function vaultRef(path: string, version?: string): Reference {
  return { scheme: 'vault', path, version, optional: false, params: {} };
}
