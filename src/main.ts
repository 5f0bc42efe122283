// One run of secrets-exec as a function of argv, env and an Io object (docs/architecture.md): it parses the
// command line and hands the run to its command, which decides everything and returns what to do — exit
// with a status, or exec a program with an environment. A failure is logged and becomes an exit status.
import type { Config } from './cli/config.js';
import { parseConfig } from './cli/parse-config.js';
import { ansibleVaultClientCommand } from './commands/ansible-vault-client.js';
import { checkCommand } from './commands/check.js';
import { detectCommand } from './commands/detect.js';
import { helpText } from './commands/help.js';
import type { Env, Io, RunResult } from './commands/io.js';
import { runCommand } from './commands/run.js';
import { warnUnknownSettings } from './commands/unknown-settings.js';
import { createLogger, type Logger } from './log/logger.js';
import { reportFailure } from './log/report-failure.js';
import { exitStatusForError, exitStatusForSignal } from './process/exit-status.js';

export type { Env, Io, RunResult } from './commands/io.js';

/** Runs secrets-exec up to the point of exec; a failure is logged and becomes an exit status. */
export async function main(argv: readonly string[], env: Env, io: Io): Promise<RunResult> {
  // Until the options are parsed, errors are logged in the format the environment asks for.
  let log = createLogger({
    level: 'info',
    format: env.SECRETS_EXEC_LOG_FORMAT === 'json' ? 'json' : 'text',
    write: io.stderr,
  });
  try {
    const config = parseConfig(argv, env);
    log = createLogger({ level: config.logLevel, format: config.logFormat, write: io.stderr });
    if (config.command !== 'help' && config.command !== 'version') warnUnknownSettings(env, log);
    const result = await dispatch(config, env, io, log);
    if (!io.interrupt?.aborted) return result;
    // Stopped after resolution finished: a watch kept its providers (a Vault login) for the polls to come.
    if (result.action === 'exec') await result.watch?.close();
    return stopped(log, io.interrupt);
  } catch (error) {
    // Whatever failed after a stop signal failed because of it: one line says so, not one per reference.
    if (io.interrupt?.aborted) return stopped(log, io.interrupt);
    reportFailure(log, error);
    return { action: 'exit', status: exitStatusForError(error) };
  }
}

// Resolution was interrupted (TERM, INT, HUP or QUIT): providers have cleaned up, no program runs.
function stopped(log: Logger, interrupt: AbortSignal): RunResult {
  const signal = String(interrupt.reason);
  log.warn('interrupted', `stopped by ${signal} before the program started; nothing was run`);
  return { action: 'exit', status: exitStatusForSignal(signal) };
}

function dispatch(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  switch (config.command) {
    case 'help':
      return print(io, helpText(io.version));
    case 'version':
      return print(io, `secrets-exec ${io.version}\n`);
    case 'detect':
      return detectCommand(config, env, io, log);
    case 'check':
      return checkCommand(config, env, io, log);
    case 'run':
      return runCommand(config, env, io, log);
    case 'ansible-vault-client':
      return ansibleVaultClientCommand(config, env, io, log);
  }
}

async function print(io: Io, text: string): Promise<RunResult> {
  io.stdout(text);
  return { action: 'exit', status: 0 };
}
