// Keeping Vault's grants alive while secrets-exec watches (--watch; docs/rotation.md). A dynamic secret
// (database/creds/ROLE) is served from memory between polls, since reading it again would mint new
// credentials, and its lease is renewed (PUT sys/leases/renew) at two thirds of its TTL while Vault says it
// is renewable. When Vault grants less than was asked (the max TTL is near), or a renewal fails, the secret
// becomes due: the next poll reads it again and the new value goes through --on-change. The token of a
// login is renewed the same way (POST auth/token/renew-self); when it nears its own max TTL the login is
// dropped (the next poll logs in again) and every lease hanging on it becomes due with it.
import type { Logger } from '../../log/logger.js';
import type { Secret } from '../../log/secret.js';
import type { VaultClient } from './client.js';
import { numberOf } from '../../formats/exact-json.js';

const RENEW_AT = 2 / 3;
const RENEW_TIMEOUT_MS = 10_000;

interface Held {
  readonly value: Secret;
  readonly leaseId: string;
  /** When the next poll must read the secret again (ms since the epoch). */
  dueAt: number;
  timer?: NodeJS.Timeout | undefined;
}

export interface LeaseKeeper {
  /** The value of a leased secret that is not due yet. */
  cached(path: string): Secret | undefined;
  /** Holds a leased value and renews its lease while it can. */
  hold(path: string, read: { value: Secret; leaseId: string; leaseDuration: number; renewable: boolean }): void;
  /** Renews a login's token; `expiring` is called when it cannot be renewed any longer. */
  keepToken(login: { ttlSeconds: number; renewable: boolean }, expiring: () => void): void;
  close(): void;
}

export function createLeaseKeeper(input: {
  client: VaultClient;
  token: () => string | undefined;
  log: Logger;
  now?: () => number;
}): LeaseKeeper {
  const { client, log } = input;
  const now = input.now ?? Date.now;
  const held = new Map<string, Held>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => Promise<void>): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run().catch(() => undefined);
    }, ms);
    timer.unref();
    timers.add(timer);
    return timer;
  };
  const send = (path: string, body: Record<string, unknown>) => {
    const token = input.token();
    if (token === undefined) return Promise.reject(new Error('no token'));
    return client.send({ method: path.startsWith('sys/') ? 'PUT' : 'POST', path, body, token, signal: timeout() });
  };

  const renewLease = (path: string, entry: Held, increment: number): void => {
    entry.timer = later(increment * 1000 * RENEW_AT, async () => {
      try {
        const answer = await send('sys/leases/renew', { lease_id: entry.leaseId, increment });
        const granted = numberOf(answer?.lease_duration) ?? 0;
        log.debug('vault.lease.renewed', `renewed the lease of ${path}`, { ttl_s: granted });
        if (granted >= increment && answer?.renewable === true) return renewLease(path, entry, increment);
        // Its max TTL is near: read it again (new credentials) while these still work.
        entry.dueAt = now() + granted * 1000 * RENEW_AT;
        log.info('vault.lease.max', `the lease of ${path} nears its max TTL: reading it again in ${granted} s`);
      } catch (error) {
        entry.dueAt = now();
        log.warn('vault.lease.failed', `could not renew the lease of ${path} (${nameOf(error)}): reading it again`);
      }
    });
  };

  return {
    cached(path) {
      const entry = held.get(path);
      if (entry === undefined) return undefined;
      if (now() < entry.dueAt) return entry.value;
      clearTimeout(entry.timer);
      held.delete(path);
      return undefined;
    },
    hold(path, read) {
      clearTimeout(held.get(path)?.timer);
      const ttlMs = read.leaseDuration * 1000;
      const entry: Held = {
        value: read.value,
        leaseId: read.leaseId,
        dueAt: read.renewable ? Number.POSITIVE_INFINITY : now() + ttlMs * RENEW_AT,
      };
      held.set(path, entry);
      if (read.renewable && read.leaseDuration > 0) renewLease(path, entry, read.leaseDuration);
    },
    keepToken(login, expiring) {
      if (!login.renewable || login.ttlSeconds <= 0) return;
      const renew = (ttl: number): void => {
        later(ttl * 1000 * RENEW_AT, async () => {
          try {
            const answer = await send('auth/token/renew-self', { increment: `${login.ttlSeconds}s` });
            const auth = answer?.auth as Record<string, unknown> | undefined;
            const granted = numberOf(auth?.lease_duration) ?? 0;
            log.debug('vault.token.renewed', 'renewed the Vault token', { ttl_s: granted });
            if (granted >= login.ttlSeconds && auth?.renewable === true) return renew(granted);
            log.info('vault.token.max', 'the Vault token nears its max TTL: logging in again at the next poll');
          } catch (error) {
            log.warn('vault.token.failed', `could not renew the Vault token (${nameOf(error)}): logging in again`);
          }
          for (const entry of held.values()) entry.dueAt = Math.min(entry.dueAt, now());
          expiring();
        });
      };
      renew(login.ttlSeconds);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      held.clear();
    },
  };
}

function timeout(): AbortSignal {
  return AbortSignal.timeout(RENEW_TIMEOUT_MS);
}

function nameOf(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? `HTTP ${status}` : error instanceof Error ? error.name : 'error';
}
