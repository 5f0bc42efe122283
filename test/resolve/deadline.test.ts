// The one deadline of a run: its signal, and the race that turns waiting past it into a Timeout.
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors/errors.js';
import { raceDeadline, startDeadline } from '../../src/resolve/deadline.js';

describe('startDeadline', () => {
  it('aborts its signal when the time is up, and says when that is', async () => {
    const deadline = startDeadline(20, () => 1_000);
    expect(deadline.at).toBe(1_020);
    expect(deadline.signal.aborted).toBe(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(deadline.signal.aborted).toBe(true);
  });

  it('never aborts once disposed', async () => {
    const deadline = startDeadline(20, Date.now);
    deadline.dispose();
    await new Promise((r) => setTimeout(r, 60));
    expect(deadline.signal.aborted).toBe(false);
  });
});

describe('raceDeadline', () => {
  it('settles like the work when the work finishes first', async () => {
    const { signal } = new AbortController();
    await expect(raceDeadline(Promise.resolve('done'), signal, 'store')).resolves.toBe('done');
    await expect(raceDeadline(Promise.reject(new Error('boom')), signal, 'store')).rejects.toThrow('boom');
  });

  it('rejects with a Timeout naming what it waited for when the signal aborts first', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const error = await raceDeadline(new Promise(() => undefined), controller.signal, 'store').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'Timeout', message: 'store did not answer before the --timeout deadline' });
  });

  it('rejects at once when the deadline has already passed', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(raceDeadline(Promise.resolve('late'), controller.signal, 'store')).rejects.toMatchObject({
      kind: 'Timeout',
    });
  });
});
