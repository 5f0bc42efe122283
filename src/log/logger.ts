// The one output path for diagnostics (docs/architecture.md): named events with fields, written with
// fs.writeSync(2, …). Writing through process.stderr would create a stream that puts fd 2 into
// O_NONBLOCK mode, which the exec'd program would inherit (docs/process-model.md).
import { writeSync } from 'node:fs';
import { inspect } from 'node:util';
import { isSecret } from './secret.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFormat = 'text' | 'json';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  error(event: string, message: string, fields?: LogFields): void;
  warn(event: string, message: string, fields?: LogFields): void;
  info(event: string, message: string, fields?: LogFields): void;
  debug(event: string, message: string, fields?: LogFields): void;
  readonly format: LogFormat;
}

interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where a finished line goes; the entrypoint passes fd 2, tests pass an array. */
  write: (line: string) => void;
  now?: () => Date;
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const EAGAIN_PATIENCE_MS = 10_000;

/**
 * Writes all of `text` to `fd` synchronously, without creating process.stdout/stderr. A descriptor the
 * parent left non-blocking answers EAGAIN to a slow reader: wait and go on rather than lose the line.
 * A closed or unwritable descriptor (EPIPE, EBADF) is not worth failing the run for: the line is dropped.
 */
export function writeAll(fd: number, text: string): void {
  let rest = Buffer.from(text);
  let waited = 0;
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= EAGAIN_PATIENCE_MS) return;
      Atomics.wait(pause, 0, 0, 5);
      waited += 5;
    }
  }
}

/** Writes a line to stderr (fd 2). */
export function writeStderr(line: string): void {
  writeAll(2, line);
}

// A value of a field is printed as text; a Secret prints as [redacted] whatever path led to it.
function renderField(value: unknown): string {
  if (isSecret(value)) return '[redacted]';
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return inspect(value, { breakLength: Infinity, depth: 3 });
}

// Messages become one line whatever they hold: a multi-line SDK message must not forge log lines.
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n');
}

/** Makes the logger every part of secrets-exec writes through. */
export function createLogger(options: LoggerOptions): Logger {
  const { level, format, write } = options;
  const now = options.now ?? (() => new Date());
  const threshold = LOG_LEVELS.indexOf(level);
  const enabled = (l: LogLevel): boolean => LOG_LEVELS.indexOf(l) <= threshold;

  const emit = (l: LogLevel, event: string, message: string, fields: LogFields = {}): void => {
    if (!enabled(l)) return;
    if (format === 'json') {
      const record: Record<string, unknown> = { time: now().toISOString(), level: l, event, msg: message };
      for (const [k, v] of Object.entries(fields)) record[k] = isSecret(v) ? '[redacted]' : v;
      write(`${JSON.stringify(record)}\n`);
      return;
    }
    const rendered = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}=${renderField(v)}`)
      .join('');
    write(`secrets-exec: ${l}: ${oneLine(message)}${oneLine(rendered)}\n`);
  };

  return {
    error: (e, m, f) => emit('error', e, m, f),
    warn: (e, m, f) => emit('warn', e, m, f),
    info: (e, m, f) => emit('info', e, m, f),
    debug: (e, m, f) => emit('debug', e, m, f),
    format,
  };
}

/**
 * Silences console.* for the whole run. SDKs print through the console (OCI prints deprecation notices),
 * which would create process.stdout/stderr streams (see above), and what they print is not ours to vet:
 * a library that dumps a response body would leak a value (README "Security model"). Debug level says that something
 * was printed and how much, never what.
 */
export function captureConsole(logger: Logger, target: Console = console): void {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const) {
    (target as unknown as Record<string, unknown>)[method] = (...args: unknown[]): void => {
      logger.debug('console.suppressed', `a library called console.${method}; its output is not shown`, {
        args: args.length,
      });
    };
  }
}
