import { inspect, format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/log/secret.js';

describe('Secret', () => {
  const secret = new Secret('hunter2');

  it.each([
    ['String()', () => String(secret)],
    ['template literal', () => `${secret}`],
    ['concatenation', () => 'x' + secret],
    ['JSON.stringify', () => JSON.stringify({ secret })],
    ['util.inspect', () => inspect({ nested: { secret } })],
    ['util.format %s %o %j', () => format('%s %o %j', secret, secret, secret)],
  ])('prints [redacted] through %s', (_, render) => {
    const text = render();
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('hunter2');
  });

  it('gives the value only through reveal()', () => {
    expect(secret.reveal()).toBe('hunter2');
    expect(secret.length).toBe(7);
    expect(secret.fingerprint()).toMatch(/^[0-9a-f]{12}$/);
  });
});
