// A request-rate quota as the vendors enforce theirs (AWS Secrets Manager's per-operation "requests per
// second" quotas, a Vault rate limit quota): a token bucket that holds `burst` requests and refills at
// `perSecond`. A fake that has one answers a request beyond it with the vendor's throttling error.
export class RateLimit {
  #tokens: number;
  #last: number;
  /** Requests let through and turned away since the limit was made. */
  admitted = 0;
  throttled = 0;

  constructor(
    readonly perSecond: number,
    readonly burst: number = perSecond,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = burst;
    this.#last = now();
  }

  /** Takes one request's token; false when the request is over the quota. */
  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.perSecond);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.admitted++;
      return true;
    }
    this.throttled++;
    return false;
  }
}
