// The supervisor handle: the program runs as a child, can be signalled, restarted with a new
// environment (the old one stopped first, with KILL after the stop timeout) and `exited` settles with
// the status secrets-exec must exit with.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { startSupervisor } from '../../src/process/supervise.js';

const log = createLogger({ level: 'error', format: 'text', write: () => undefined });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'supervise-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sh = (script: string) => ({ file: '/bin/sh', argv: ['sh', '-c', script] });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startSupervisor', () => {
  it("settles with the program's exit status", async () => {
    const supervisor = await startSupervisor({ command: sh('exit 7'), env: { PATH: '/bin:/usr/bin' }, log });
    expect(await supervisor.exited).toBe(7);
  });

  it('settles with 128+N when the program dies of signal N', async () => {
    const supervisor = await startSupervisor({ command: sh('sleep 5'), env: { PATH: '/bin:/usr/bin' }, log });
    await wait(100);
    supervisor.signal('SIGUSR2');
    expect(await supervisor.exited).toBe(128 + 12);
  });

  it('restarts the program with a new environment, stopping the old one first', async () => {
    const out = join(dir, 'restart.log');
    const script =
      `trap 'echo "stopped $GEN" >> ${out}; exit 0' TERM; echo "started $GEN" >> ${out}; ` +
      '[ "$GEN" = 2 ] && exit 3; while :; do sleep 0.05; done';
    const supervisor = await startSupervisor({ command: sh(script), env: { PATH: '/bin:/usr/bin', GEN: '1' }, log });
    await wait(200);
    const first = supervisor.pid();
    await supervisor.restart({ PATH: '/bin:/usr/bin', GEN: '2' });
    expect(supervisor.pid()).not.toBe(first);
    // The restart is not the end of the run: the program started after it is.
    expect(await supervisor.exited).toBe(3);
    expect(readFileSync(out, 'utf8')).toBe('started 1\nstopped 1\nstarted 2\n');
  });

  it('kills a program that ignores the stop signal once the stop timeout passes', async () => {
    const script = `trap '' TERM; [ "$GEN" = 2 ] && exit 0; while :; do sleep 0.05; done`;
    const supervisor = await startSupervisor({
      command: sh(script),
      env: { PATH: '/bin:/usr/bin', GEN: '1' },
      log,
      stopTimeoutMs: 200,
    });
    await wait(100);
    const started = Date.now();
    await supervisor.restart({ PATH: '/bin:/usr/bin', GEN: '2' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await supervisor.exited).toBe(0);
  });

  it('reports a program that cannot be started as 127 or 126', async () => {
    const supervisor = await startSupervisor({
      command: { file: '/nonexistent/program', argv: ['program'] },
      env: {},
      log,
    });
    expect(await supervisor.exited).toBe(127);
  });
});
