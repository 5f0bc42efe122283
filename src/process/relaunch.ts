// secrets-exec re-executes itself (same PID, same descriptors, nothing written anywhere) in two cases:
// - at start, when variables of Node's own are set (see node-variables.ts): the runtime that resolves
//   the secrets must not act on them;
// - in supervise mode, just before starting the program: /proc/PID/environ shows a process's
//   environment as it was at exec, so a program could read the supervisor's credentials
//   (VAULT_SECRET_ID, …) from /proc/$PPID/environ. The supervisor re-executes itself with the
//   program's environment, with what to run in SECRETS_EXEC_SUPERVISE_CHILD.
import type { LogFormat, LogLevel } from '../log/logger.js';
import type { Env } from './child-env.js';
import { withNodeVariablesCarried } from './node-variables.js';
import type { PreparedCommand } from './prepare-command.js';

export const SUPERVISE_STATE = 'SECRETS_EXEC_SUPERVISE_CHILD';

/** What a re-executed supervisor needs to know. */
export interface SuperviseState {
  /** The PID that relaunched itself: a state found in any other process is a leftover, not ours. */
  readonly pid: number;
  readonly command: PreparedCommand;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** --mask: names of the variables whose values (in this environment) are redacted; never the values. */
  readonly mask?: readonly string[] | undefined;
}

/** How this secrets-exec was started: the file to execve and the argv that comes before its options. */
export interface SelfInvocation {
  readonly execPath: string;
  /** argv[0], then for the bundle on a plain Node.js its flags and the script's path. */
  readonly prefix: readonly string[];
  /** A single executable (Node's NODE_OPTIONS does not reach it). */
  readonly sea: boolean;
}

/** True when this process is a single executable (argv[1] is then not a script). */
export function isSingleExecutable(): boolean {
  return process.getBuiltinModule('node:sea').isSea();
}

/** Replaces this process with a fresh secrets-exec given `args` and `env`; throws when execve fails. */
export function relaunchSelf(self: SelfInvocation, args: readonly string[], env: Env): void {
  process.execve?.(self.execPath, [...self.prefix, ...args], withNodeVariablesCarried(env, { sea: self.sea }));
}

/** Re-executes as the supervisor of `state.command`, with the program's environment as its own. */
export function relaunchAsSupervisor(
  self: SelfInvocation,
  state: SuperviseState,
  childEnv: Readonly<Record<string, string>>,
): void {
  relaunchSelf(self, [], { ...childEnv, [SUPERVISE_STATE]: JSON.stringify(state) });
}

/** The supervise state carried by a relaunch, if any, and the environment without it. */
export function takeSuperviseState(
  env: Env,
  pid: number,
): { state?: SuperviseState; env: Record<string, string | undefined> } {
  const { [SUPERVISE_STATE]: raw, ...rest } = env;
  if (raw === undefined) return { env: rest };
  const state = JSON.parse(raw) as SuperviseState;
  return state.pid === pid ? { state, env: rest } : { env: rest };
}
