import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Failed sign-ins, counted per e-mail address (lower-cased) and per client
 * address, in Redis when the server has one (shared by every instance) else
 * in this process, like lib/rate-limiter.ts. Over the limit, every attempt is
 * refused before the password is looked at, and each further attempt while
 * refused doubles the block, up to `maxBlockSeconds`. A successful sign-in
 * clears the e-mail's count.
 */
export interface SignInPolicy {
  /** failures per e-mail address within the window before attempts are refused */
  emailFailures: number;
  /** failures per client address within the window (several people may share one) */
  addressFailures: number;
  windowSeconds: number;
  maxBlockSeconds: number;
}

export const SIGN_IN_POLICY: SignInPolicy = {
  emailFailures: 10,
  addressFailures: 100,
  windowSeconds: 15 * 60,
  maxBlockSeconds: 60 * 60,
};

type Limiter = RateLimiterMemory | RateLimiterRedis;

export type SignInDecision =
  | { allowed: true; remaining: number; resetSeconds: number }
  | { allowed: false; retryAfterSeconds: number };

export class SignInLimiter {
  private readonly byEmail: Limiter;
  private readonly byAddress: Limiter;
  private readonly strikes: Limiter;

  constructor(
    readonly policy: SignInPolicy,
    store: { redis: Redis | null; keyPrefix: string },
  ) {
    const make = (points: number, duration: number, name: string): Limiter => {
      const options = { points, duration };
      return store.redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: store.redis,
            keyPrefix: `${store.keyPrefix}:${name}`,
            // while Redis is down, count in this process at once instead of queueing behind reconnects
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
    };
    this.byEmail = make(policy.emailFailures, policy.windowSeconds, "signin-email");
    this.byAddress = make(policy.addressFailures, policy.windowSeconds, "signin-ip");
    this.strikes = make(Number.MAX_SAFE_INTEGER, policy.maxBlockSeconds + policy.windowSeconds, "signin-strikes");
  }

  private keys(email: string, address: string): [Limiter, string][] {
    return [
      [this.byEmail, `e:${email.trim().toLowerCase()}`],
      [this.byAddress, `a:${address}`],
    ];
  }

  /** Before the password is checked: refused (escalating) while over the limit, else the e-mail's budget left. */
  async check(email: string, address: string): Promise<SignInDecision> {
    let wait = 0;
    let remaining = this.policy.emailFailures;
    let resetSeconds = this.policy.windowSeconds;
    for (const [limiter, key] of this.keys(email, address)) {
      const res = await limiter.get(key);
      if (res === null) continue;
      if (res.consumedPoints < limiter.points) {
        if (limiter === this.byEmail) {
          remaining = limiter.points - res.consumedPoints;
          resetSeconds = toSeconds(res.msBeforeNext);
        }
        continue;
      }
      const strikes = (await this.strikes.consume(key)).consumedPoints;
      const block = Math.min(this.policy.windowSeconds * 2 ** Math.min(strikes - 1, 20), this.policy.maxBlockSeconds);
      let keyWait = toSeconds(res.msBeforeNext);
      if (block > keyWait) {
        await limiter.block(key, block);
        keyWait = block;
      }
      wait = Math.max(wait, keyWait);
    }
    return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true, remaining, resetSeconds };
  }

  /** A wrong e-mail or password: counts against both the e-mail and the client address. */
  async recordFailure(email: string, address: string): Promise<void> {
    for (const [limiter, key] of this.keys(email, address)) {
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
      }
    }
  }

  /** A successful sign-in (or a password set through a link): the e-mail starts afresh. */
  async recordSuccess(email: string): Promise<void> {
    const [[limiter, key]] = this.keys(email, "") as [[Limiter, string]];
    await limiter.delete(key);
    await this.strikes.delete(key);
  }
}

function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
