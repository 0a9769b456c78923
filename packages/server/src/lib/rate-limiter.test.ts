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
  graceSeconds: 0.2,
};

describe("penaltyFor", () => {
  it("tolerates the first strikes, then doubles from the base up to the cap", () => {
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

/** A limiter on the store; on Redis, once connected (until then it would count in memory). */
async function limiter(
  store: "memory" | "redis",
  prefix: string,
  overrides: Partial<RateLimitPolicy> = {},
): Promise<RateLimiter> {
  const settings = { ...policy, ...overrides };
  if (store === "memory") return new RateLimiter(settings, { redis: null, keyPrefix: prefix });
  const redis = new Redis(TEST_REDIS_URL);
  clients.push(redis);
  await redis.ping();
  return new RateLimiter(settings, { redis, keyPrefix: prefix });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(stores)("RateLimiter with %s store", (store) => {
  const prefix = `assay-unit-${store}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

  it("allows the budget, counts down, then rejects with the time to the window's end", async () => {
    const rl = await limiter(store, prefix);
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
    const rl = await limiter(store, `${prefix}-keys`);
    for (let i = 0; i < 3; i++) await rl.consume("b");
    expect((await rl.consume("b")).allowed).toBe(false);
    expect((await rl.consume("c")).allowed).toBe(true);
  });

  it("never escalates for a burst of parallel requests: 400 against a budget of 100", async () => {
    const rl = await limiter(store, `${prefix}-burst`, { requests: 100, graceSeconds: 2 });
    const decisions = await Promise.all(Array.from({ length: 400 }, () => rl.consume("burst")));
    const rejected = decisions.filter((d) => !d.allowed);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    expect(rejected).toHaveLength(300);
    for (const d of rejected) {
      expect(d.retryAfterSeconds).toBeLessThanOrEqual(policy.windowSeconds);
      expect(d.penalized).toBe(false);
    }
  });

  it("escalates a client that keeps sending after it was told to wait", async () => {
    const rl = await limiter(store, `${prefix}-escalate`);
    for (let i = 0; i < 3; i++) expect((await rl.consume("d")).allowed).toBe(true);
    const first = await rl.consume("d");
    expect(first).toMatchObject({ allowed: false, penalized: false });
    await sleep(300); // past the grace: the client has had time to read the 429
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const d = await rl.consume("d");
      if (!d.allowed) waits.push(d.retryAfterSeconds);
    }
    // two tolerated strikes (the window's remaining time), then 60, 120, 240 s blocks
    expect(waits).toHaveLength(5);
    expect(waits.slice(0, 2).every((w) => w <= policy.windowSeconds)).toBe(true);
    expect(waits.slice(2)).toEqual([60, 120, 240]);
  });

  it("lets ten parallel jobs that obey Retry-After finish without ever waiting longer than the window", async () => {
    // One token shared by ten CI jobs: 10 requests per 1 s window, 5 requests per job.
    const shared = { requests: 10, windowSeconds: 1, penaltyAfter: 0, graceSeconds: 0.5 };
    const instances = [await limiter(store, `${prefix}-jobs`, shared), await limiter(store, `${prefix}-jobs`, shared)];
    const waits: number[] = [];
    const job = async (n: number) => {
      const rl = instances[n % instances.length]!; // on Redis, two server instances share the counters
      for (let done = 0; done < 5; ) {
        const d = await rl.consume("ci-token");
        if (d.allowed) {
          done++;
          await sleep(20);
        } else {
          waits.push(d.retryAfterSeconds);
          await sleep(d.retryAfterSeconds * 1000);
        }
      }
    };
    await Promise.all(Array.from({ length: 10 }, (_, n) => job(n)));
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBe(1);

    // The same token, now used by a client that ignores Retry-After: it escalates.
    const greedy: number[] = [];
    for (let i = 0; i < 400 && Math.max(0, ...greedy) <= 1; i++) {
      const d = await instances[i % instances.length]!.consume("ci-token");
      if (!d.allowed) greedy.push(d.retryAfterSeconds);
      await sleep(10);
    }
    expect(Math.max(...greedy)).toBe(60);
  });

  it("shares the budget between limiter instances on the same store", async () => {
    if (store === "memory") return;
    const one = await limiter(store, `${prefix}-shared`);
    const two = await limiter(store, `${prefix}-shared`);
    await one.consume("e");
    await two.consume("e");
    await one.consume("e");
    expect((await two.consume("e")).allowed).toBe(false);
  });
});
