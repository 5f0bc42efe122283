// Node.js reads variables of its own at start-up, before any JavaScript of ours runs, and some of them
// act against a secrets tool: NODE_DEBUG prints HTTP headers (tokens included) to stderr,
// NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks, NODE_V8_COVERAGE, NODE_COMPILE_CACHE and
// NODE_REDIRECT_WARNINGS write files, NODE_CHANNEL_FD opens an IPC channel, OPENSSL_CONF loads OpenSSL
// modules, UV_* tune libuv. They belong to the program, not to secrets-exec. When one is set,
// secrets-exec re-executes itself (same PID, same descriptors) without them, carrying them in
// SECRETS_EXEC_NODE_VARS, and hands them back untouched in the program's environment.
//
// Not moved, because they change nothing here: NODE_ENV and NODE_VERSION (set by every official Node
// image; Node itself does not read them), and NODE_OPTIONS in the executable, which is built to ignore
// it (the bundle run by a plain Node.js does obey it, so there it is moved too).
import type { Env } from './child-env.js';

export const CARRIER = 'SECRETS_EXEC_NODE_VARS';

const INERT = new Set(['NODE_ENV', 'NODE_VERSION']);

/** True for a variable Node.js or its libraries (libuv, OpenSSL) act on at start-up. */
export function isNodeRuntimeVariable(name: string, options: { sea: boolean }): boolean {
  if (INERT.has(name) || (options.sea && name === 'NODE_OPTIONS')) return false;
  return name.startsWith('NODE_') || name.startsWith('UV_') || name.startsWith('OPENSSL_');
}

/** Splits off Node's variables: `rest` is what the runtime may see, `carried` what it must not. */
export function splitNodeVariables(
  env: Env,
  options: { sea: boolean },
): { rest: Record<string, string>; carried: Record<string, string> } {
  // No prototype: a variable named __proto__ must be kept, not taken as the object's prototype.
  const rest = Object.create(null) as Record<string, string>;
  const carried = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (isNodeRuntimeVariable(name, options)) carried[name] = value;
    else rest[name] = value;
  }
  return { rest, carried };
}

/** The environment as it was given to secrets-exec: the carried variables put back, the carrier gone. */
export function restoreNodeVariables(env: Env): Record<string, string | undefined> {
  const { [CARRIER]: carrier, ...rest } = env;
  if (carrier === undefined) return { ...rest };
  let carried: unknown;
  try {
    carried = JSON.parse(carrier);
  } catch {
    carried = undefined;
  }
  if (typeof carried !== 'object' || carried === null) return { ...rest };
  const out = Object.assign(Object.create(null) as Record<string, string | undefined>, rest);
  for (const [name, value] of Object.entries(carried)) if (typeof value === 'string') out[name] = value;
  return out;
}

/** The environment to start the runtime with: Node's variables moved into the carrier. */
export function withNodeVariablesCarried(env: Env, options: { sea: boolean }): Record<string, string> {
  const { rest, carried } = splitNodeVariables(env, options);
  return Object.keys(carried).length === 0 ? rest : { ...rest, [CARRIER]: JSON.stringify(carried) };
}
