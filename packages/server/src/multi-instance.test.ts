import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
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

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const redisServerInstalled = spawnSync("redis-server", ["--version"]).status === 0;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A redis-server of this test's own (never the shared one), without persistence. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}

/** The Assay server on SQLite plus the given Redis, its whole output (logs) kept for the test. */
describe.runIf(redisServerInstalled)("Redis outage mid-traffic", () => {
  let redisPort: number;
  let redis: ChildProcess;
  let assay: ChildProcess;
  let output = "";
  let api: ApiClient;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-redis-outage-"));
  const token = `assay_test_${crypto.randomBytes(16).toString("hex")}`;
  const prefix = `assay-outage-${crypto.randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    assay = spawn(process.execPath, [MAIN, "start"], {
      env: {
        PATH: process.env.PATH ?? "",
        ASSAY_HOST: "127.0.0.1",
        ASSAY_PORT: "0",
        ASSAY_DATA_DIR: dataDir,
        ASSAY_ADMIN_TOKEN: token,
        ASSAY_LOG_LEVEL: "warn",
        ASSAY_REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        ASSAY_REDIS_KEY_PREFIX: prefix,
        ASSAY_RATE_LIMIT_REQUESTS: "30",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    assay.stdout!.on("data", collect);
    assay.stderr!.on("data", collect);
    await until(() => /Assay listening on (\S+)/.test(output), "the server to listen");
    api = new ApiClient(/Assay listening on (\S+)/.exec(output)![1]!, token);
  });
  afterAll(async () => {
    if (assay) await stopProcess(assay);
    if (redis) await stopProcess(redis);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps answering with a per-instance limit while Redis is down, logs it once, and shares again when it is back", async () => {
    const remaining = (res: { headers: Headers }) => Number(/r=(\d+)/.exec(res.headers.get("ratelimit") ?? "")?.[1]);
    const before = [];
    for (let i = 0; i < 5; i++) before.push(await api.get("/user"));
    expect(before.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const counter = new Redis(`redis://127.0.0.1:${redisPort}`);
    expect((await counter.keys(`${prefix}:rl:*`)).length).toBe(1);
    counter.disconnect();

    await stopProcess(redis);
    const during = [];
    for (let i = 0; i < 40; i++) during.push(await api.get("/user"));
    expect(new Set(during.map((r) => r.status))).toEqual(new Set([200, 429]));
    expect(during.every((r) => !Number.isNaN(remaining(r)))).toBe(true);
    // This instance's own budget: 30 requests, whatever Redis had counted.
    expect(during.filter((r) => r.status === 200)).toHaveLength(30);
    // Web sign-in keeps its failure count in this process too: a wrong password is still a plain 401.
    const signIn = await fetch(`${api.baseUrl}/api/v1/x/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@localhost", password: "not the password" }),
    });
    expect(signIn.status).toBe(401);

    redis = await startRedis(redisPort);
    await until(() => output.includes("Redis is reachable again"), "the recovery line");
    const after = await api.get("/user");
    expect(after.status).toBe(200);
    const restarted = new Redis(`redis://127.0.0.1:${redisPort}`);
    expect((await restarted.keys(`${prefix}:rl:*`)).length).toBe(1);
    restarted.disconnect();

    expect(output.match(/Redis is unreachable/g)).toHaveLength(1);
    expect(output.match(/Redis is reachable again/g)).toHaveLength(1);
    expect(output).not.toMatch(/ioredis|Unhandled error event/);
  });
});
