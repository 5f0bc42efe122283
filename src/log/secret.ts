// A secret value in transit. Every way JavaScript has of turning an object into text prints
// "[redacted]" (README "Security model"): only `reveal()` gives the value, and only `resolve/select` (#KEY),
// Ansible Vault decryption and `process/` (building the child's environment) call it.
// node:crypto is loaded on first use, not at start: it costs milliseconds that a run without `check`
// never needs (measured in bench/startup.bench.mjs).
const loadCrypto = (): typeof import('node:crypto') => globalThis.process.getBuiltinModule('node:crypto');

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value: for building the child's environment and deriving other secrets, never for text. */
  reveal(): string {
    return this.#value;
  }

  /** Length in UTF-16 code units, as `check` reports it. */
  get length(): number {
    return this.#value.length;
  }

  /**
   * The first 16 hex digits of HMAC-SHA256(key, value): lets `check` show whether a value changed between runs
   * that share the key. Keyed, because an unkeyed hash of a weak value ("true", a PIN) is a lookup away from
   * the value for anyone who reads the CI log; without the key it is a hash of unknown input.
   */
  fingerprint(key: Secret): string {
    return loadCrypto().createHmac('sha256', key.#value).update(this.#value, 'utf8').digest('hex').slice(0, 16);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** True for a value that must never be printed. */
export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}
