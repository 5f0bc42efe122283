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
  });

  // A CI log reader who knows the fingerprint scheme can hash every weak value ("true", a PIN) and compare:
  // an unkeyed hash would give them away. Keyed, the same value gives unrelated fingerprints under two keys.
  it('fingerprints with HMAC-SHA256 under a key, 16 hex digits, different for another key', async () => {
    const { createHash, createHmac } = await import('node:crypto');
    const key = new Secret('k'.repeat(32));
    const weak = new Secret('true');
    expect(weak.fingerprint(key)).toBe(createHmac('sha256', 'k'.repeat(32)).update('true').digest('hex').slice(0, 16));
    expect(weak.fingerprint(key)).not.toBe(weak.fingerprint(new Secret('j'.repeat(32))));
    expect(createHash('sha256').update('true').digest('hex')).not.toContain(weak.fingerprint(key));
    expect(weak.fingerprint(key)).toBe(new Secret('true').fingerprint(key));
  });
});
