// The --watch loop against a recording supervisor: jittered polls, restart / signal / exit on a change,
// failures that keep the program and back off, --watch-fail-after, debounce, and no value in any log line.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import type { Supervisor } from '../../src/process/supervise.js';
import { EXIT_ROTATED, startWatch, type WatchSettings } from '../../src/process/watch.js';

const SECRET = 'watch-unit-secret-91c3';

function recorder() {
  const actions: string[] = [];
  const supervisor: Supervisor = {
    pid: () => 1,
    signal: (s) => void actions.push(`signal ${s}`),
    restart: async (env) => void actions.push(`restart ${env.PW === undefined ? '' : 'with PW'}`),
    stop: async () => void actions.push('stop'),
    exited: new Promise(() => undefined),
  };
  return { actions, supervisor };
}

function setup(
  settings: Partial<WatchSettings>,
  refresh: () => Promise<Record<string, string>>,
  random: () => number = Math.random,
) {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', format: 'text', write: (l) => void lines.push(l) });
  const { actions, supervisor } = recorder();
  const full: WatchSettings = { intervalMs: 10_000, onChange: { action: 'restart' }, debounceMs: 0, ...settings };
  const watch = startWatch({ settings: full, supervisor, log, refresh, initial: { PW: 'old' }, now: Date.now, random });
  return { lines, actions, watch };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('startWatch', () => {
  it('polls every interval within ±10 %, and does nothing while nothing changed', async () => {
    const refresh = vi.fn(async () => ({ PW: 'old' }));
    const { actions, watch } = setup({}, refresh);
    const w = await watch;
    await vi.advanceTimersByTimeAsync(8_999);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_002);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(11_001);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(actions).toEqual([]);
    w.stop();
  });

  it.each([
    [{ action: 'restart' } as const, ['restart with PW']],
    [{ action: 'signal', signal: 'SIGHUP' } as const, ['signal SIGHUP']],
    [{ action: 'exit' } as const, ['stop']],
  ])('acts with %o when a value changed, naming the variable but never its value', async (onChange, expected) => {
    const { actions, lines, watch } = setup({ onChange }, async () => ({ PW: SECRET }));
    const w = await watch;
    await vi.advanceTimersByTimeAsync(11_001);
    expect(actions).toEqual(expected);
    expect(lines.join('')).toMatch(/changed: PW/);
    expect(lines.join('')).not.toContain(SECRET);
    expect(w.exitStatus()).toBe(onChange.action === 'exit' ? EXIT_ROTATED : undefined);
    w.stop();
  });

  it('keeps the program through failures, warns with the error class, backs off, then recovers', async () => {
    let fail = true;
    const refresh = vi.fn(async () => {
      if (fail)
        throw Object.assign(new Error(`bad ${SECRET}`), {
          name: 'ResolutionFailed',
          errors: [{ kind: 'Unavailable' }],
        });
      return { PW: 'new' };
    });
    // No jitter: the windows below are exact (with it, a 9 s poll and an 18 s backoff met at 27 s).
    const { actions, lines, watch } = setup({}, refresh, () => 0.5);
    const w = await watch;
    await vi.advanceTimersByTimeAsync(11_001); // first poll (10 s) fails: next 20 s later
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(17_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5_001);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(actions).toEqual([]);
    expect(lines.join('')).toMatch(/warn: could not resolve again \(ResolutionFailed: Unavailable\)/);
    fail = false;
    await vi.advanceTimersByTimeAsync(45_000);
    expect(actions).toEqual(['restart with PW']);
    expect(lines.join('')).not.toContain(SECRET);
    w.stop();
  });

  it('turns an outage longer than --watch-fail-after into the exit action', async () => {
    const { actions, watch } = setup({ failAfterMs: 25_000 }, async () => {
      throw new Error('down');
    });
    const w = await watch;
    await vi.advanceTimersByTimeAsync(11_001);
    expect(actions).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(actions).toEqual(['stop']);
    expect(w.exitStatus()).toBe(EXIT_ROTATED);
  });

  it('groups the changes seen within --debounce into one action with the latest values', async () => {
    let n = 0;
    const refresh = vi.fn(
      async (): Promise<Record<string, string>> => (++n === 1 ? { PW: 'half' } : { PW: 'half', USER: 'new' }),
    );
    const { actions, lines, watch } = setup({ debounceMs: 3_000 }, refresh);
    const w = await watch;
    await vi.advanceTimersByTimeAsync(11_001 + 3_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(actions).toEqual(['restart with PW']);
    expect(lines.join('')).toMatch(/changed: PW, USER/);
    w.stop();
  });
});
