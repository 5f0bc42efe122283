import { describe, expect, it } from 'vitest';
import { ExecError } from '../../src/process/exec-error.js';
import { exitStatusForChild, exitStatusForError, exitStatusForSignal } from '../../src/process/exit-status.js';

describe('exit statuses', () => {
  it.each([
    [0, null, 0],
    [3, null, 3],
    [null, 'SIGTERM', 143],
    [null, 'SIGKILL', 137],
  ] as const)('child %s/%s → %s', (code, signal, status) => {
    expect(exitStatusForChild(code, signal)).toBe(status);
  });

  it('is 125 for any failure of secrets-exec itself', () => {
    expect(exitStatusForError(new Error('x'))).toBe(125);
  });

  it("is the ExecError's own status when the program cannot start", () => {
    expect(exitStatusForError(new ExecError(127, 'x: not found'))).toBe(127);
    expect(exitStatusForError(new ExecError(126, 'x: permission denied'))).toBe(126);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
  ])('is 128+N when secrets-exec is stopped by %s before the exec', (signal, status) => {
    expect(exitStatusForSignal(signal)).toBe(status);
  });
});
