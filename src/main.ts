// One run of secrets-exec as a function of argv, env and an Io object (docs/architecture.md): it parses the
// command line and hands the run to its command, which decides everything and returns what to do — exit
// with a status, or exec a program with an environment. A failure is logged and becomes an exit status.
import type { Config } from './cli/config.js';
import { formatHelp } from './cli/help.js';
import { parseConfig } from './cli/parse-config.js';
import { checkCommand } from './commands/check.js';
import { detectCommand } from './commands/detect.js';
import type { Env, Io, RunResult } from './commands/io.js';
import { runCommand } from './commands/run.js';
import { createLogger, type Logger } from './log/logger.js';
import { reportFailure } from './log/report-failure.js';
import { exitStatusForError } from './process/exit-status.js';

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
    return await dispatch(config, env, io, log);
  } catch (error) {
    reportFailure(log, error);
    return { action: 'exit', status: exitStatusForError(error) };
  }
}

function dispatch(config: Config, env: Env, io: Io, log: Logger): Promise<RunResult> {
  switch (config.command) {
    case 'help':
      return print(io, formatHelp(io.version));
    case 'version':
      return print(io, `secrets-exec ${io.version}\n`);
    case 'detect':
      return detectCommand(config, env, io, log);
    case 'check':
      return checkCommand(config, env, io, log);
    case 'run':
      return runCommand(config, env, io, log);
  }
}

async function print(io: Io, text: string): Promise<RunResult> {
  io.stdout(text);
  return { action: 'exit', status: 0 };
}
