/** Per-token rate limiting: a token bucket per token id, refilled continuously. */

/** Bucket size and refill rate. */
export interface RateLimit {
  /** Requests allowed in a burst. */
  readonly burst: number;
  /** Sustained requests per second. */
  readonly perSecond: number;
}

/** The default: generous for editors and scripts, small enough to stop a runaway client flooding the store. */
export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 400, perSecond: 200 };

/** Token buckets keyed by token id. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly limit: RateLimit = DEFAULT_RATE_LIMIT, private readonly now: () => number = () => performance.now()) {}

  /** Take one request from the key's bucket; false when it is empty. */
  take(key: string): boolean {
    const t = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.limit.burst, at: t };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = t;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forget a key (its token was revoked). */
  forget(key: string): void {
    this.#buckets.delete(key);
  }
}
