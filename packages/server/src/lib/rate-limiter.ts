import type { FastifyBaseLogger } from "fastify";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

export interface RateLimitPolicy {
  requests: number;
  windowSeconds: number;
  /** requests sent while told to wait that are tolerated before the first penalty block */
  penaltyAfter: number;
  penaltySeconds: number;
  penaltyMaxSeconds: number;
  /**
   * Rejections arriving within this time of a client's first 429 were sent before the client
   * could have read it (requests already under way in parallel): they never count as strikes.
   */
  graceSeconds?: number;
}

export const DEFAULT_GRACE_SECONDS = 2;

export type RateLimitDecision =
  | { allowed: true; remaining: number; resetSeconds: number }
  | { allowed: false; retryAfterSeconds: number; penalized: boolean };

type Limiter = RateLimiterMemory | RateLimiterRedis;

/**
 * A request budget per key (a token digest or a client address) plus
 * escalation for clients that ignore Retry-After. The first 429 of a wait
 * records when the client was told (its "notice"); a rejected request that
 * arrives more than `graceSeconds` later, while that wait lasts, was sent by a
 * client that had been told to wait: a strike. Beyond `penaltyAfter` strikes
 * the key is blocked for `penaltySeconds`, doubling with each further strike
 * up to `penaltyMaxSeconds`. Notices and strikes end with the wait, so
 * clients that obey Retry-After never see more than the window, however many
 * of them share a token and however many requests each had under way.
 * Counters live in Redis when given (shared by every server instance), else
 * in this process; while Redis is unreachable each instance counts on its own.
 */
export class RateLimiter {
  private readonly budget: Limiter;
  /** key → when its client was first told to wait (ms since the epoch); expires when the wait ends */
  private readonly notices: Limiter;
  /** key → requests sent while told to wait; expires when the wait ends */
  private readonly strikes: Limiter;
  private readonly graceMs: number;

  constructor(
    readonly policy: RateLimitPolicy,
    store: { redis: Redis | null; keyPrefix: string },
  ) {
    this.graceMs = (policy.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
    const budget = { points: policy.requests, duration: policy.windowSeconds };
    // Durations of notices and strikes are always given per call (the time left to wait).
    const record = { points: Number.MAX_SAFE_INTEGER, duration: policy.windowSeconds };
    this.budget = limiter(store, "rl", budget);
    this.notices = limiter(store, "rl-notices", record);
    this.strikes = limiter(store, "rl-strikes", record);
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
    const now = Date.now();
    const notice = await this.notices.get(key);
    if (notice === null) {
      // The first 429 of this wait: from now on the client has been told.
      await this.notices.set(key, now, waitSeconds);
      return { allowed: false, retryAfterSeconds: waitSeconds, penalized: false };
    }
    const toldAt = notice.consumedPoints;
    if (now - toldAt < this.graceMs) return { allowed: false, retryAfterSeconds: waitSeconds, penalized: false };
    const strikes = (await this.strikes.consume(key, 1, { customDuration: waitSeconds })).consumedPoints;
    const penalty = penaltyFor(strikes, this.policy);
    if (penalty > waitSeconds) {
      // The wait grows: the budget is blocked, and notice and strikes last as long as the block.
      await Promise.all([
        this.budget.block(key, penalty),
        this.notices.set(key, toldAt, penalty),
        this.strikes.set(key, strikes, penalty),
      ]);
      return { allowed: false, retryAfterSeconds: penalty, penalized: true };
    }
    return { allowed: false, retryAfterSeconds: waitSeconds, penalized: penalty > 0 };
  }
}

/**
 * A Redis-backed limiter that falls back to this process's memory whenever Redis is not
 * ready (at once, without queueing), or a memory limiter without Redis.
 */
function limiter(
  store: { redis: Redis | null; keyPrefix: string },
  name: string,
  options: { points: number; duration: number },
): Limiter {
  if (!store.redis) return new RateLimiterMemory(options);
  return new RateLimiterRedis({
    ...options,
    storeClient: store.redis,
    keyPrefix: `${store.keyPrefix}:${name}`,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(options),
  });
}

/** Penalty block in seconds after the given number of strikes (0 = none yet). */
export function penaltyFor(strikes: number, policy: RateLimitPolicy): number {
  const over = strikes - policy.penaltyAfter;
  if (over <= 0) return 0;
  const doubled = policy.penaltySeconds * 2 ** Math.min(over - 1, 30);
  return Math.min(doubled, policy.penaltyMaxSeconds);
}

function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The server's Redis client. It connects once `watchRedis` has a logger for it, so that an
 * unreachable Redis is reported by that logger and never as ioredis' unhandled error traces.
 */
export function createRedis(url: string): Redis {
  // Auto-pipelining sends the rate-limit commands of concurrent requests in one write: with 50 connections,
  // GET /user went from about 14,500 to 18,000-19,500 requests/s (bench/read.bench.js, PostgreSQL + Redis).
  return new Redis(url, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: true,
    enableAutoPipelining: true,
  });
}

/**
 * One warning when Redis becomes unreachable and one line when it is back, instead of a
 * trace per reconnection attempt; then connects a client made by `createRedis`. Resolves
 * once connected, or at the first failure: a server starting without Redis counts on its own.
 */
export function watchRedis(redis: Redis, log: FastifyBaseLogger): Promise<void> {
  let reachable = true;
  redis.on("error", (error: Error) => {
    if (!reachable) return;
    reachable = false;
    log.warn(
      `Redis is unreachable (${error.message}): rate limits are counted by each server instance on its own until it is back.`,
    );
  });
  redis.on("ready", () => {
    if (reachable) return;
    reachable = true;
    log.warn("Redis is reachable again: rate limits are shared by every server instance again.");
  });
  if (redis.status === "ready") return Promise.resolve();
  const settled = new Promise<void>((resolve) => {
    redis.once("ready", resolve);
    redis.once("error", () => resolve());
  });
  if (redis.status === "wait") redis.connect().catch(() => {});
  return settled;
}
