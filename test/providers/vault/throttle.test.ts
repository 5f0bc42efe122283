// Throttling against the fake Vault's rate-limit quota: the provider keeps a cap on requests in flight,
// and the central retries wait for the Retry-After Vault sends, as long as the deadline leaves time,
// until every reference is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import { vaultProvider } from '../../../src/providers/vault/vault.js';
import { DEFAULT_CONCURRENCY } from '../../../src/providers/shared/limit.js';
import { DEFAULT_RETRY, resolveWithRetry } from '../../../src/resolve/retry.js';
import { isFetched } from '../../../src/resolve/types.js';
import { startFakeVault, type FakeVault } from '../../fakes/vault.js';
import { makeContext, vaultRef } from '../../support/vault-context.js';

let vault: FakeVault;
const COUNT = 120;

beforeAll(async () => {
  vault = await startFakeVault();
  vault.mountKv('secret', 2);
  for (let i = 0; i < COUNT; i++) vault.putSecret('secret', `fleet/s${i}`, { value: `v${i}` });
});

afterAll(() => vault.close());

async function readFleet(deadlineMs: number) {
  const { ctx, lines } = makeContext({ VAULT_ADDR: vault.url, VAULT_TOKEN: vault.rootToken });
  const deadline = Date.now() + deadlineMs;
  const instance = vaultProvider.create({ ...ctx, deadline });
  const provider = { name: 'vault', instance, classify: vaultProvider.classify };
  const batch = Array.from({ length: COUNT }, (_, i) => vaultRef(`secret/fleet/s${i}`));
  try {
    const outcomes = await resolveWithRetry({
      provider,
      batch,
      ctx: { ...ctx, deadline },
      policy: DEFAULT_RETRY,
      now: Date.now,
    });
    return { outcomes, lines };
  } finally {
    await instance.close();
  }
}

describe('the Vault provider under a rate-limit quota', () => {
  it('reads every reference, never more than the cap at once, waiting out Retry-After', async () => {
    vault.requests.length = 0;
    vault.resetPeak();
    vault.delay = () => 5;
    vault.rateLimit(50, 1_000);
    const started = Date.now();
    try {
      const { outcomes, lines } = await readFleet(20_000);
      expect(outcomes.filter((o) => !isFetched(o)).map((o) => (o as ProviderError).message)).toEqual([]);
      expect(outcomes.map((o) => (isFetched(o) ? o.value.reveal() : ''))).toEqual(
        Array.from({ length: COUNT }, (_, i) => `{"value":"v${i}"}`),
      );
      expect(vault.peakInFlight).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
      const throttled = vault.requests.filter((r) => r.status === 429);
      expect(throttled.length).toBeGreaterThan(0);
      // 121 requests at 50 a second need the third one-second window: Retry-After was waited for.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(lines.some((l) => /provider\.retry|retrying/.test(l))).toBe(true);
    } finally {
      vault.rateLimit(undefined);
      vault.delay = undefined;
    }
  }, 30_000);

  it('stops at once when the Retry-After Vault asks for does not fit before the deadline', async () => {
    vault.rateLimit(0, 60_000);
    try {
      const started = Date.now();
      const { outcomes } = await readFleet(2_500);
      const elapsed = Date.now() - started;
      expect(outcomes.every((o) => o instanceof ProviderError && o.kind === 'Unavailable')).toBe(true);
      // Retry-After asks for a minute: no retry fits the deadline, so the first answer stands, at once.
      expect(elapsed).toBeLessThan(2_500);
    } finally {
      vault.rateLimit(undefined);
    }
  });
});
