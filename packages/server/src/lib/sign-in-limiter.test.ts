import { describe, expect, it } from "vitest";
import { SignInLimiter } from "./sign-in-limiter.js";

const policy = { emailFailures: 3, addressFailures: 5, windowSeconds: 60, maxBlockSeconds: 300 };
const memory = () => new SignInLimiter(policy, { redis: null, keyPrefix: "test" });

describe("SignInLimiter (in memory)", () => {
  it("refuses after the e-mail's failures, whatever the case of the address; escalates while refused", async () => {
    const limiter = memory();
    for (let i = 0; i < 3; i++) {
      const decision = await limiter.check("Ann@Example.com", "10.0.0.1");
      expect(decision).toMatchObject({ allowed: true, remaining: 3 - i });
      await limiter.recordFailure(i % 2 ? "ann@example.com" : "ANN@example.com", "10.0.0.1");
    }
    const waits = [];
    for (let i = 0; i < 4; i++) {
      const decision = await limiter.check("ann@example.com", "10.0.0.2");
      expect(decision.allowed).toBe(false);
      if (!decision.allowed) waits.push(decision.retryAfterSeconds);
    }
    expect(waits).toEqual([60, 120, 240, 300]);
    // Another e-mail from the same address is not blocked.
    expect((await limiter.check("bob@example.com", "10.0.0.1")).allowed).toBe(true);
  });

  it("counts failures per client address across e-mails", async () => {
    const limiter = memory();
    for (let i = 0; i < 5; i++) await limiter.recordFailure(`user${i}@example.com`, "10.0.0.9");
    const decision = await limiter.check("someone.else@example.com", "10.0.0.9");
    expect(decision).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    expect((await limiter.check("someone.else@example.com", "10.0.0.10")).allowed).toBe(true);
  });

  it("a success clears the e-mail's failures and strikes", async () => {
    const limiter = memory();
    for (let i = 0; i < 3; i++) await limiter.recordFailure("carl@example.com", "10.0.1.1");
    expect((await limiter.check("carl@example.com", "10.0.1.2")).allowed).toBe(false);
    await limiter.recordSuccess("Carl@example.com");
    expect(await limiter.check("carl@example.com", "10.0.1.2")).toMatchObject({ allowed: true, remaining: 3 });
  });
});
