import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/errors.js';
import { MAX_STRING_BYTES, validateEnv } from '../../src/process/validate-env.js';

const LIMIT = 2 * 1024 * 1024;

describe('validateEnv', () => {
  it('accepts an ordinary environment', () => {
    expect(() => validateEnv({ PATH: '/bin', EMPTY: '' }, ['true'], LIMIT)).not.toThrow();
  });

  it.each([
    [{ 'A=B': 'x' }, /variable name "A=B" is not valid/],
    [{ '': 'x' }, /variable name "" is not valid/],
    [{ BAD: 'a\0b' }, /BAD: the value holds a NUL byte/],
    [{ BIG: 'x'.repeat(MAX_STRING_BYTES) }, /BIG: the value is \d+ bytes; Linux allows at most 131072/],
  ])('refuses %#, naming the variable', (env, message) => {
    expect(() => validateEnv(env as Record<string, string>, ['true'], LIMIT)).toThrow(UsageError);
    expect(() => validateEnv(env as Record<string, string>, ['true'], LIMIT)).toThrow(message);
  });

  it('refuses an environment too large for exec, naming the largest variable', () => {
    const env: Record<string, string> = {};
    for (let i = 0; i < 20; i++) env[`V${i}`] = 'x'.repeat(100_000);
    env.HUGE = 'x'.repeat(120_000);
    expect(() => validateEnv(env, ['true'], LIMIT)).toThrow(
      /over the 2097152 exec allows with this stack limit \(largest: HUGE/,
    );
  });

  // Regression (issue 10): this test once passed when nothing was thrown at all.
  it.each([
    ['a NUL byte', { BAD: 's3cr3t\0' }],
    ['a value over the per-string limit', { BIG: `s3cr3t${'x'.repeat(MAX_STRING_BYTES)}` }],
    ['a name that is not valid', { 'A=B': 's3cr3t' }],
  ])('never quotes a value when it refuses %s', (_, env) => {
    let thrown: unknown;
    try {
      validateEnv(env as Record<string, string>, ['true'], LIMIT);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).not.toContain('s3cr3t');
  });

  it('uses the limit it is given (a quarter of the stack limit)', () => {
    const env = { BIG: 'x'.repeat(100_000), MORE: 'x'.repeat(100_000), LAST: 'x'.repeat(100_000) };
    expect(() => validateEnv(env, ['true'], LIMIT)).not.toThrow();
    expect(() => validateEnv(env, ['true'], 256 * 1024)).toThrow(/over the 262144 exec allows/);
  });
});
