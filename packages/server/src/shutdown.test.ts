import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS, createPostgresDatabase } from "./test-support/backends.js";
import { ApiClient } from "./test-support/http.js";
import { listening, type Spawned, spawnMain, terminate } from "./test-support/spawn.js";

const WORKERS = 4;
const BATCH = 200;

/**
 * SIGTERM to the real server process while four clients append results: the
 * process exits 0 within the grace period, and after a restart every append a
 * client saw acknowledged (204) is stored, whole; an append cut off is stored
 * whole or not at all.
 */
describe.each(BACKENDS)("graceful shutdown on %s", (backend) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("loses no acknowledged append", { timeout: 300_000 }, async () => {
    const env = await storageEnv(backend, cleanups);
    let server = await start(env, cleanups);
    const url = await listening(server);
    const api = new ApiClient(url, env.ASSAY_ADMIN_TOKEN!);
    const run = await api.post("/projects/1/automation/runs", { name: "shutdown", source: "sigterm" });
    const threads: number[] = [];
    for (let w = 0; w < WORKERS; w++)
      threads.push((await api.post(`/automation/runs/${run.body.id}/threads`, {})).body.id);

    const acknowledged = Array<number>(WORKERS).fill(0);
    let sent = 0;
    let signalled: Promise<number | string> | null = null;
    const worker = async (w: number) => {
      for (let batch = 0; ; batch++) {
        const tests = Array.from({ length: BATCH }, (_, i) => ({
          key: `w${w}b${batch}t${i}`,
          name: `t${i}`,
          folder: "shutdown",
          status: "passed",
        }));
        sent++;
        // After some appends are through, stop the server while the others are in flight.
        // A second SIGTERM, as npm forwarding a group kill delivers: it must not cut the open appends.
        if (sent === 24) {
          // `server` is reassigned to the restarted one below: the second signal is for this one only
          const stopping = server;
          signalled = terminate(stopping, 60_000);
          setTimeout(() => stopping.child.kill("SIGTERM"), 50);
        }
        const response = await api
          .post(`/automation/runs/threads/${threads[w]}/append`, { tests })
          .catch(() => ({ status: 0 }));
        if (response.status !== 204) {
          if (!signalled) throw new Error(`append failed before SIGTERM: ${JSON.stringify(response)}`);
          return;
        }
        acknowledged[w]!++;
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    expect(signalled).not.toBeNull();
    expect(await signalled, server.output()).toBe(0);
    expect(server.output()).not.toMatch(/\n\s+at /);
    expect(acknowledged.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(20);

    server = await start(env, cleanups);
    const restarted = new ApiClient(await listening(server), env.ASSAY_ADMIN_TOKEN!);
    const stored = await restarted.get(`/automation/runs/${run.body.id}`);
    for (let w = 0; w < WORKERS; w++) {
      const thread = stored.body.result.threads.find((t: { id: number }) => t.id === threads[w]);
      const batches = thread.total_count / BATCH;
      expect(Number.isInteger(batches), `thread ${w}: ${thread.total_count} tests`).toBe(true);
      // Every acknowledged append is there; at most the one cut off in flight besides.
      expect(batches).toBeGreaterThanOrEqual(acknowledged[w]!);
      expect(batches).toBeLessThanOrEqual(acknowledged[w]! + 1);
    }
  });
});

async function storageEnv(backend: string, cleanups: (() => Promise<void> | void)[]): Promise<Record<string, string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-shutdown-"));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    ASSAY_HOST: "127.0.0.1",
    ASSAY_PORT: "0",
    ASSAY_DATA_DIR: dataDir,
    ASSAY_ADMIN_TOKEN: `assay_test_${crypto.randomBytes(16).toString("hex")}`,
    ASSAY_LOG_LEVEL: "warn",
    ASSAY_RATE_LIMIT_REQUESTS: "1000000",
    ASSAY_SHUTDOWN_GRACE_SECONDS: "30",
  };
  if (backend === "postgres") {
    const database = await createPostgresDatabase();
    cleanups.push(() => database.drop());
    env.ASSAY_DATABASE_URL = database.url;
  }
  return env;
}

async function start(env: Record<string, string>, cleanups: (() => Promise<void> | void)[]): Promise<Spawned> {
  const server = spawnMain(["start"], env);
  cleanups.push(async () => {
    await terminate(server);
  });
  return server;
}
