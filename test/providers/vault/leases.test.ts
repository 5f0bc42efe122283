// The lease keeper's timing, with a recording client and fake timers: renewals at two thirds of the TTL,
// a capped renewal (max TTL near) or a failed one makes the value due, a token that can no longer be
// renewed drops the login and makes every held value due. Against the fake Vault: test/e2e/watch-leases.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/log/logger.js';
import { Secret } from '../../../src/log/secret.js';
import type { VaultClient, VaultRequest } from '../../../src/providers/vault/client.js';
import { createLeaseKeeper } from '../../../src/providers/vault/leases.js';

function setup(answer: (request: VaultRequest) => Record<string, unknown>) {
  const sent: VaultRequest[] = [];
  const client = {
    address: 'http://127.0.0.1:1',
    send: async (request: VaultRequest) => {
      sent.push(request);
      return answer(request);
    },
    close: () => undefined,
  } as VaultClient;
  const log = createLogger({ level: 'error', format: 'text', write: () => undefined });
  return { sent, keeper: createLeaseKeeper({ client, token: () => 'hvs.t', log }) };
}

const read = { value: new Secret('creds-1'), leaseId: 'database/creds/app/1', leaseDuration: 30, renewable: true };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createLeaseKeeper', () => {
  it('serves the held value and renews its lease every two thirds of the TTL while granted in full', async () => {
    const { sent, keeper } = setup(() => ({ lease_duration: 30, renewable: true }));
    keeper.hold('database/creds/app', read);
    expect(keeper.cached('database/creds/app')?.reveal()).toBe('creds-1');
    await vi.advanceTimersByTimeAsync(19_999);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(40_002);
    expect(sent.map((r) => [r.method, r.path, r.body])).toEqual([
      ['PUT', 'sys/leases/renew', { lease_id: read.leaseId, increment: 30 }],
      ['PUT', 'sys/leases/renew', { lease_id: read.leaseId, increment: 30 }],
      ['PUT', 'sys/leases/renew', { lease_id: read.leaseId, increment: 30 }],
    ]);
    expect(keeper.cached('database/creds/app')).toBeDefined();
    keeper.close();
  });

  it('makes the value due at two thirds of a capped renewal (max TTL near), and renews no more', async () => {
    const { sent, keeper } = setup(() => ({ lease_duration: 9, renewable: true }));
    keeper.hold('database/creds/app', read);
    await vi.advanceTimersByTimeAsync(20_001);
    expect(keeper.cached('database/creds/app')).toBeDefined();
    await vi.advanceTimersByTimeAsync(6_000);
    expect(keeper.cached('database/creds/app')).toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  it('makes the value due at once when a renewal fails', async () => {
    const { keeper } = setup(() => {
      throw new Error('down');
    });
    keeper.hold('database/creds/app', read);
    await vi.advanceTimersByTimeAsync(20_001);
    expect(keeper.cached('database/creds/app')).toBeUndefined();
  });

  it('renews the token with renew-self; when it is capped, drops the login and makes held values due', async () => {
    let granted = 60;
    const { sent, keeper } = setup((r) =>
      r.path === 'auth/token/renew-self' ? { auth: { lease_duration: granted, renewable: true } } : {},
    );
    keeper.hold('database/creds/app', { ...read, renewable: false, leaseDuration: 600 });
    const expiring = vi.fn();
    keeper.keepToken({ ttlSeconds: 60, renewable: true }, expiring);
    await vi.advanceTimersByTimeAsync(40_001);
    expect(sent.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', 'auth/token/renew-self', { increment: '60s' }],
    ]);
    expect(expiring).not.toHaveBeenCalled();
    granted = 10;
    await vi.advanceTimersByTimeAsync(40_001);
    expect(expiring).toHaveBeenCalledTimes(1);
    expect(keeper.cached('database/creds/app')).toBeUndefined();
    keeper.close();
  });
});
