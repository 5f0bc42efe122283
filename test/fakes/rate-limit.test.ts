import { describe, expect, it } from 'vitest';
import { RateLimit } from './rate-limit.js';

describe('RateLimit', () => {
  it('lets a burst through, turns away what exceeds it and refills at the quota', () => {
    let now = 0;
    const limit = new RateLimit(10, 3, () => now);
    expect([limit.take(), limit.take(), limit.take(), limit.take()]).toEqual([true, true, true, false]);
    now = 100; // 0.1 s at 10/s: one more request
    expect([limit.take(), limit.take()]).toEqual([true, false]);
    now = 10_000; // a long pause refills the bucket to its burst, no further
    expect([limit.take(), limit.take(), limit.take(), limit.take()]).toEqual([true, true, true, false]);
    expect({ admitted: limit.admitted, throttled: limit.throttled }).toEqual({ admitted: 7, throttled: 3 });
  });
});
