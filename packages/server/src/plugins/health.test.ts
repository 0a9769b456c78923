import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import type { ErrorCollection } from "@assay/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient, makeTests, readResponse } from "../test-support/http.js";
import { startServerProcess, type TestServer } from "../test-support/server-process.js";

const METRICS_TOKEN = "metrics-token-0123456789";

/** /healthz, /readyz and /metrics of the real server process. */
describe.each(BACKENDS)("health and metrics on %s", (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    // One request per window: probes and metrics must not count against the rate limit.
    server = await startServerProcess({
      backend,
      env: {
        ASSAY_METRICS_TOKEN: METRICS_TOKEN,
        ASSAY_RATE_LIMIT_REQUESTS: "3",
        ASSAY_RATE_LIMIT_PENALTY_AFTER: "100",
      },
    });
  });
  afterAll(() => server?.stop());

  it("/healthz and /readyz answer without a token and outside the rate limit", async () => {
    for (let i = 0; i < 10; i++) {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
      expect(ready.headers.get("ratelimit")).toBeNull();
    }
  });

  it("/metrics needs the token: 401 without or with a wrong one", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer not-the-token-at-all" } });
    expect(wrong.status).toBe(401);
    expect((await readResponse<ErrorCollection>(wrong)).body.message).toContain("ASSAY_METRICS_TOKEN");
  });

  it("counts requests by route template and status, 429s and results ingested", async () => {
    const api = new ApiClient(server.url, server.token);
    const run = await api.post("/projects/1/automation/runs", { name: "metrics", source: "m" });
    const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
    const append = await api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests: makeTests(7) });
    expect([run.status, thread.status, append.status]).toEqual([201, 201, 204]);
    const limited = await api.get("/projects/1");
    expect(limited.status).toBe(429);

    const text = await metrics();
    expect(text).toContain("# TYPE assay_http_request_duration_seconds histogram");
    expect(text).toMatch(
      /assay_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/automation\/runs\/threads\/:automation_run_thread_id\/append",status="204"\} 1\n/,
    );
    expect(text).toMatch(/assay_http_rate_limited_total\{route="\/api\/v1\/projects\/:project_id"\} 1\n/);
    expect(text).toMatch(/assay_results_ingested_total 7\n/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds \d/);
    // Labels are templates, never the URL with its ids.
    expect(text).not.toContain(`/threads/${thread.body.id}/`);
    if (backend === "postgres") expect(text).toMatch(/assay_db_pool_connections\{state="total"\} \d+/);
  });

  it("shows the background WAL checkpoints on SQLite, none on PostgreSQL", async () => {
    if (backend === "postgres") {
      expect(await metrics()).not.toMatch(/assay_sqlite_(checkpoints_total|wal_frames)\{/);
      return;
    }
    // The append above committed; its checkpoint follows within about 100 ms on the worker thread.
    let text = await metrics();
    for (let i = 0; i < 50 && !/assay_sqlite_checkpoints_total\{outcome="done"\} [1-9]/.test(text); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await metrics();
    }
    expect(text).toMatch(/assay_sqlite_checkpoints_total\{outcome="done"\} [1-9]\d*\n/);
    expect(text).toMatch(/assay_sqlite_checkpoints_total\{outcome="failed"\} 0\n/);
    const total = Number(/assay_sqlite_wal_frames\{state="total"\} (\d+)/.exec(text)?.[1]);
    expect(total).toBeGreaterThan(0);
    expect(text).toContain(`assay_sqlite_wal_frames{state="checkpointed"} ${total}\n`);
  });

  async function metrics(): Promise<string> {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    return response.text();
  }
});

describe("readiness and metrics settings", () => {
  let redis: ChildProcess | null = null;
  afterAll(() => {
    redis?.kill("SIGTERM");
  });

  it("/metrics is off (404 saying how to turn it on) without ASSAY_METRICS_TOKEN", async () => {
    const server = await startServerProcess();
    try {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(404);
      expect((await readResponse<ErrorCollection>(response)).body.message).toContain("Set ASSAY_METRICS_TOKEN");
    } finally {
      await server.stop();
    }
  });

  it("/readyz is 503 naming Redis while the configured Redis is down, 200 once it is up", async () => {
    const port = await freePort();
    const server = await startServerProcess({ env: { ASSAY_REDIS_URL: `redis://127.0.0.1:${port}` } });
    try {
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      const { body } = await readResponse<ErrorCollection>(down);
      expect(body.message).toMatch(/^Not ready: Redis \(ASSAY_REDIS_URL\) does not answer/);
      expect(Object.keys(body.errors ?? {})).toEqual(["redis"]);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      redis = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await fetch(`${server.url}/readyz`)).status;
      }
      expect(status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
