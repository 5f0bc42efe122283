import { describe, expect, it } from 'vitest';
import { captureConsole, createLogger } from '../../src/log/logger.js';
import { Secret } from '../../src/log/secret.js';

function capture(level: 'error' | 'warn' | 'info' | 'debug', format: 'text' | 'json' = 'text') {
  const lines: string[] = [];
  return { lines, log: createLogger({ level, format, write: (l) => lines.push(l), now: () => new Date(0) }) };
}

describe('createLogger', () => {
  it('writes named events with fields as one text line', () => {
    const { lines, log } = capture('info');
    log.info('resolve.done', 'resolved 2 secrets', { ms: 12, provider: 'local' });
    expect(lines).toEqual(['secrets-exec: info: resolved 2 secrets ms=12 provider=local\n']);
  });

  it('writes JSON lines with --log-format json', () => {
    const { lines, log } = capture('info', 'json');
    log.warn('x.y', 'careful', { n: 1 });
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'warn',
      event: 'x.y',
      msg: 'careful',
      n: 1,
    });
  });

  it('drops events below the level', () => {
    const { lines, log } = capture('warn');
    log.info('a', 'a');
    log.debug('b', 'b');
    expect(lines).toEqual([]);
  });

  it.each(['text', 'json'] as const)('never logs the value of a Secret field at debug level (%s)', (format) => {
    const { lines, log } = capture('debug', format);
    log.debug('e', 'm', { value: new Secret('hunter2'), nested: { deeper: new Secret('hunter2') } });
    expect(lines.join('')).not.toContain('hunter2');
    expect(lines.join('')).toContain('[redacted]');
  });

  it('keeps a multi-line message on one line', () => {
    const { lines, log } = capture('info');
    log.info('e', 'first\nsecrets-exec: error: forged');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('captureConsole', () => {
  it('silences console.* so that a library cannot print a value', () => {
    const { lines, log } = capture('debug');
    const target = { ...console } as Console;
    captureConsole(log, target);
    target.log('response body: hunter2');
    target.error(new Error('hunter2'));
    expect(lines.join('')).not.toContain('hunter2');
    expect(lines).toHaveLength(2);
  });
});
