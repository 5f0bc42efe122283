// The program's environment: the one secrets-exec was started with, each reference replaced by its
// value (or removed when optional and missing), loaded keys added, and the credentials only
// secrets-exec needed removed. This is the one place where values leave their Secret wrapper.
import type { Secret } from '../log/secret.js';
import { scrubEnv } from './scrub-env.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable the run decided: its value, or undefined to leave it unset. */
export interface ChildVariable {
  readonly variable: string;
  readonly value?: Secret | undefined;
}

/** Builds the program's environment from the start environment and the resolved variables. */
export function buildChildEnv(input: {
  env: Env;
  variables: readonly ChildVariable[];
  credentials: readonly string[];
  keep: readonly string[];
}): Record<string, string> {
  // No prototype: a variable named __proto__ or constructor is a variable like any other.
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(input.env)) if (value !== undefined) out[name] = value;
  for (const v of input.variables) {
    if (v.value === undefined) delete out[v.variable];
    else out[v.variable] = v.value.reveal();
  }
  return scrubEnv(out, { credentials: input.credentials, keep: input.keep });
}
