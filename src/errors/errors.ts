// The project's two error types (docs/architecture.md): a UsageError for argv and configuration, and a
// ResolveError with a kind for everything that went wrong while resolving a reference. Code above the
// providers decides by `kind`, never by a message or an SDK class. No message ever contains a value.

/** The reason classes (docs/architecture.md, "The provider contract"). */
export type ErrorKind = 'NotFound' | 'Denied' | 'Unavailable' | 'Timeout' | 'Invalid';

/** Base of every error secrets-exec raises on purpose; anything else is a bug. */
export class SecretsExecError extends Error {
  override name = 'SecretsExecError';
}

/** Bad command line, bad configuration, or a file that cannot be read: exit 125 before any fetch. */
export class UsageError extends SecretsExecError {
  override name = 'UsageError';
}

/** A reference that does not follow the grammar (thrown by `refs/`, which knows no variable names). */
export class ReferenceSyntaxError extends SecretsExecError {
  override name = 'ReferenceSyntaxError';
}

/** What a provider reports about one reference: a kind and a reason without any value. */
export class ProviderError extends SecretsExecError {
  override name = 'ProviderError';
  readonly kind: ErrorKind;
  /** How long the store asked to wait before another try (its Retry-After), for an Unavailable. */
  readonly retryAfterMs?: number | undefined;
  /** An Unavailable that is throttling (429, a rate-limit quota): retried for as long as the deadline allows. */
  readonly throttled?: boolean;

  constructor(
    kind: ErrorKind,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number | undefined; throttled?: boolean },
  ) {
    super(message, options);
    this.kind = kind;
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options?.throttled) this.throttled = true;
  }
}

/** One reference that could not be resolved for one variable. */
export class ResolveError extends SecretsExecError {
  override name = 'ResolveError';
  readonly kind: ErrorKind;
  readonly variable: string;
  readonly reference: string;
  readonly provider: string;
  readonly reason: string;

  constructor(options: {
    kind: ErrorKind;
    variable: string;
    reference: string;
    provider: string;
    reason: string;
    cause?: unknown;
  }) {
    const { kind, variable, reference, provider, reason, cause } = options;
    super(`${variable}: ${reference} via ${provider}: ${kind}: ${reason}`, { cause });
    this.kind = kind;
    this.variable = variable;
    this.reference = reference;
    this.provider = provider;
    this.reason = reason;
  }
}

/** True when the error is one of ours (and so its message is safe and meant for the user). */
export function isSecretsExecError(error: unknown): error is SecretsExecError {
  return error instanceof SecretsExecError;
}

/** Every reference that failed in one run: the entrypoint prints one line each, then exits 125. */
export class ResolutionFailed extends SecretsExecError {
  override name = 'ResolutionFailed';
  constructor(readonly errors: readonly ResolveError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}
