// The rotation options: --watch implies supervise, --on-change's three forms, the stop options, and a
// usage error naming the option for everything else.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/cli/parse-config.js';
import { UsageError } from '../../src/errors/errors.js';

const run = (...args: string[]) => parseConfig([...args, '--', 'app'], {});

describe('watch options', () => {
  it('are off by default: TERM and 10s stop a supervised program', () => {
    const config = run();
    expect(config.watch).toBeUndefined();
    expect(config.supervise).toBe(false);
    expect(config.stop).toEqual({ signal: 'SIGTERM', timeoutMs: 10_000 });
  });

  it('--watch implies supervise, with restart, no debounce and no fail-after by default', () => {
    const config = run('--watch', '5m');
    expect(config.supervise).toBe(true);
    expect(config.watch).toEqual({ intervalMs: 300_000, onChange: { action: 'restart' }, debounceMs: 0 });
  });

  it('reads every option from its flag or its environment twin', () => {
    const config = parseConfig(['--watch=30s', '--on-change', 'signal:hup', '--stop-signal', 'INT', '--', 'app'], {
      SECRETS_EXEC_DEBOUNCE: '2s',
      SECRETS_EXEC_WATCH_FAIL_AFTER: '1h',
      SECRETS_EXEC_STOP_TIMEOUT: '500ms',
    });
    expect(config.watch).toEqual({
      intervalMs: 30_000,
      onChange: { action: 'signal', signal: 'SIGHUP' },
      debounceMs: 2_000,
      failAfterMs: 3_600_000,
    });
    expect(config.stop).toEqual({ signal: 'SIGINT', timeoutMs: 500 });
    expect(
      parseConfig(['--', 'app'], { SECRETS_EXEC_WATCH: '1m', SECRETS_EXEC_ON_CHANGE: 'exit' }).watch,
    ).toMatchObject({ intervalMs: 60_000, onChange: { action: 'exit' } });
  });

  it.each([
    [['--watch', 'often'], /--watch: 'often' is not a duration/],
    [['--watch', '200ms'], /--watch: '200ms' is too often/],
    [['--watch', '1m', '--on-change', 'reload'], /--on-change: 'reload' is not restart, signal:NAME or exit/],
    [['--watch', '1m', '--on-change', 'signal:KILL'], /--on-change: 'KILL' is not a signal a program can catch/],
    [['--watch', '1m', '--on-change', 'signal:NOPE'], /'NOPE' is not a signal/],
    [['--on-change', 'exit'], /--on-change needs --watch INTERVAL/],
    [['--stop-signal', 'STOP'], /--stop-signal: 'STOP' is not a signal/],
  ])('%j is a usage error', (args, message) => {
    expect(() => run(...args)).toThrow(UsageError);
    expect(() => run(...args)).toThrow(message);
  });
});
