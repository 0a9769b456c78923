import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS, TEST_REDIS_URL } from "../test-support/backends.js";
import { penaltyFor, RateLimiter, type RateLimitPolicy } from "./rate-limiter.js";

const policy: RateLimitPolicy = {
  requests: 3,
  windowSeconds: 10,
  penaltyAfter: 2,
  penaltySeconds: 60,
  penaltyMaxSeconds: 3600,
};

describe("penaltyFor", () => {
  it("tolerates the first rejections, then doubles from the base up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => penaltyFor(n, policy))).toEqual([0, 0, 60, 120, 240, 480]);
    expect(penaltyFor(100, policy)).toBe(3600);
    expect(penaltyFor(10_000, policy)).toBe(3600);
  });
});

const stores = BACKENDS.includes("postgres") ? (["memory", "redis"] as const) : (["memory"] as const);
const clients: Redis[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});

function limiter(store: "memory" | "redis", prefix: string): RateLimiter {
  if (store === "memory") return new RateLimiter(policy, { redis: null, keyPrefix: prefix });
  const redis = new Redis(TEST_REDIS_URL);
  clients.push(redis);
  return new RateLimiter(policy, { redis, keyPrefix: prefix });
}

describe.each(stores)("RateLimiter with %s store", (store) => {
  const prefix = `assay-unit-${store}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

  it("allows the budget, counts down, then rejects with the time to the window's end", async () => {
    const rl = limiter(store, prefix);
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await rl.consume("a"));
    expect(decisions.slice(0, 3).map((d) => d.allowed && d.remaining)).toEqual([2, 1, 0]);
    const rejected = decisions[3]!;
    expect(rejected.allowed).toBe(false);
    if (!rejected.allowed) {
      expect(rejected.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(rejected.retryAfterSeconds).toBeLessThanOrEqual(10);
      expect(rejected.penalized).toBe(false);
    }
  });

  it("keeps keys apart", async () => {
    const rl = limiter(store, `${prefix}-keys`);
    for (let i = 0; i < 3; i++) await rl.consume("b");
    expect((await rl.consume("b")).allowed).toBe(false);
    expect((await rl.consume("c")).allowed).toBe(true);
  });

  it("escalates a client that keeps sending while limited", async () => {
    const rl = limiter(store, `${prefix}-escalate`);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const d = await rl.consume("d");
      if (!d.allowed) waits.push(d.retryAfterSeconds);
    }
    // 3 allowed, then 2 tolerated rejections, then 60, 120, 240 s blocks
    expect(waits.length).toBe(5);
    expect(waits.slice(2)).toEqual([60, 120, 240]);
  });

  it("shares the budget between limiter instances on the same store", async () => {
    if (store === "memory") return;
    const one = limiter(store, `${prefix}-shared`);
    const two = limiter(store, `${prefix}-shared`);
    await one.consume("e");
    await two.consume("e");
    await one.consume("e");
    expect((await two.consume("e")).allowed).toBe(false);
  });
});
