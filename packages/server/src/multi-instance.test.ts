import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "./test-support/backends.js";
import { ApiClient, makeTests } from "./test-support/http.js";
import { startServerProcess, type TestServer } from "./test-support/server-process.js";

/** Two stateless server instances sharing one PostgreSQL database and one Redis. */
describe.runIf(BACKENDS.includes("postgres"))("two instances on PostgreSQL + Redis", () => {
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    const env = { ASSAY_RATE_LIMIT_REQUESTS: "40", ASSAY_RATE_LIMIT_WINDOW_SECONDS: "60" };
    one = await startServerProcess({ backend: "postgres", env });
    two = await startServerProcess({ sharing: one, env });
  });
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  it("appends through one instance to a run created through the other", async () => {
    const a = new ApiClient(one.url, one.token);
    const b = new ApiClient(two.url, two.token);
    const runId = (await a.post("/projects/1/automation/runs", { name: "shared", source: "multi" })).body.id;
    const threadA = (await a.post(`/automation/runs/${runId}/threads`, {})).body.id;
    const threadB = (await b.post(`/automation/runs/${runId}/threads`, {})).body.id;
    const [appendA, appendB] = await Promise.all([
      a.post(`/automation/runs/threads/${threadA}/append`, { tests: makeTests(5000, { prefix: "a" }) }),
      b.post(`/automation/runs/threads/${threadB}/append`, {
        tests: makeTests(5000, { prefix: "b", statuses: ["failure"] }),
      }),
    ]);
    expect([appendA.status, appendB.status]).toEqual([204, 204]);
    expect((await b.post(`/automation/runs/${runId}/complete`, {})).status).toBe(204);
    const run = (await a.get(`/automation/runs/${runId}`)).body.result;
    expect(run).toMatchObject({
      total_count: 10000,
      status1_count: 5000,
      status2_count: 5000,
      status: 3,
      thread_count: 2,
    });
  });

  it("replays an idempotent request through the other instance", async () => {
    const a = new ApiClient(one.url, one.token);
    const b = new ApiClient(two.url, two.token);
    const headers = { headers: { "idempotency-key": "cross-instance" } };
    const first = await a.post("/projects/1/automation/runs", { name: "idem", source: "multi" }, headers);
    const second = await b.post("/projects/1/automation/runs", { name: "idem", source: "multi" }, headers);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });

  it("shares the rate-limit budget between the instances", async () => {
    const a = new ApiClient(one.url, one.token);
    const b = new ApiClient(two.url, two.token);
    const remainingA = Number(/r=(\d+)/.exec((await a.get("/user")).headers.get("ratelimit")!)![1]);
    const remainingB = Number(/r=(\d+)/.exec((await b.get("/user")).headers.get("ratelimit")!)![1]);
    expect(remainingB).toBe(remainingA - 1);
    const statuses: number[] = [];
    for (let i = 0; i < remainingB; i++) statuses.push((await (i % 2 ? a : b).get("/user")).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await a.get("/user");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await b.get("/user")).status).toBe(429);
  });
});
