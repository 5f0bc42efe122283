import { describe, expect, it } from 'vitest';
import { argLimitForStack, readArgLimit } from '../../src/process/exec-limits.js';

describe('argLimitForStack', () => {
  it.each([
    [8 * 1024 * 1024, 2 * 1024 * 1024],
    [1024 * 1024, 256 * 1024],
    [64 * 1024, 128 * 1024],
    [1024 * 1024 * 1024, 6 * 1024 * 1024],
  ])('a %d-byte stack allows %d bytes, as the kernel computes it', (stack, limit) => {
    expect(argLimitForStack(stack)).toBe(limit);
  });

  it("reads this process's own stack limit", () => {
    expect(readArgLimit()).toBeGreaterThanOrEqual(128 * 1024);
  });
});
