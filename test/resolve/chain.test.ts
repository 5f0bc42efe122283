import { describe, expect, it } from 'vitest';
import { fallsThrough } from '../../src/resolve/chain.js';

describe('fallsThrough', () => {
  it.each([
    ['NotFound', true],
    ['Unavailable', true],
    ['Timeout', true],
    ['Denied', false],
    ['Invalid', false],
    [undefined, false],
  ] as const)('%s → %s', (kind, expected) => {
    expect(fallsThrough(kind)).toBe(expected);
  });
});
