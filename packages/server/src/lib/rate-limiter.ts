import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

export interface RateLimitPolicy {
  requests: number;
  windowSeconds: number;
  /** rejected requests tolerated before the first penalty block */
  penaltyAfter: number;
  penaltySeconds: number;
  penaltyMaxSeconds: number;
}

export type RateLimitDecision =
  | { allowed: true; remaining: number; resetSeconds: number }
  | { allowed: false; retryAfterSeconds: number; penalized: boolean };

type Limiter = RateLimiterMemory | RateLimiterRedis;

/**
 * A request budget per key (a token digest or a client address) plus
 * escalation: a client that keeps sending while limited is blocked for
 * `penaltySeconds`, doubling with each further rejected request up to
 * `penaltyMaxSeconds`. Counters live in Redis when given (shared by every
 * server instance), else in this process.
 */
export class RateLimiter {
  private readonly budget: Limiter;
  private readonly strikes: Limiter;

  constructor(
    readonly policy: RateLimitPolicy,
    store: { redis: Redis | null; keyPrefix: string },
  ) {
    const strikeMemory = policy.penaltyMaxSeconds + policy.windowSeconds;
    const budgetOptions = { points: policy.requests, duration: policy.windowSeconds };
    const strikeOptions = { points: Number.MAX_SAFE_INTEGER, duration: strikeMemory };
    if (store.redis) {
      this.budget = new RateLimiterRedis({
        ...budgetOptions,
        storeClient: store.redis,
        keyPrefix: `${store.keyPrefix}:rl`,
        // Redis down: each instance keeps limiting on its own rather than failing requests.
        insuranceLimiter: new RateLimiterMemory(budgetOptions),
      });
      this.strikes = new RateLimiterRedis({
        ...strikeOptions,
        storeClient: store.redis,
        keyPrefix: `${store.keyPrefix}:rl-strikes`,
        insuranceLimiter: new RateLimiterMemory(strikeOptions),
      });
    } else {
      this.budget = new RateLimiterMemory(budgetOptions);
      this.strikes = new RateLimiterMemory(strikeOptions);
    }
  }

  async consume(key: string): Promise<RateLimitDecision> {
    try {
      const res = await this.budget.consume(key);
      return { allowed: true, remaining: res.remainingPoints, resetSeconds: toSeconds(res.msBeforeNext) };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return this.reject(key, toSeconds(rejection.msBeforeNext));
    }
  }

  private async reject(key: string, waitSeconds: number): Promise<RateLimitDecision> {
    const strikes = (await this.strikes.consume(key)).consumedPoints;
    const penalty = penaltyFor(strikes, this.policy);
    if (penalty > waitSeconds) {
      await this.budget.block(key, penalty);
      return { allowed: false, retryAfterSeconds: penalty, penalized: true };
    }
    return { allowed: false, retryAfterSeconds: waitSeconds, penalized: penalty > 0 };
  }
}

/** Penalty block in seconds after the given number of rejected requests (0 = none yet). */
export function penaltyFor(strikes: number, policy: RateLimitPolicy): number {
  const over = strikes - policy.penaltyAfter;
  if (over <= 0) return 0;
  const doubled = policy.penaltySeconds * 2 ** Math.min(over - 1, 30);
  return Math.min(doubled, policy.penaltyMaxSeconds);
}

function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
