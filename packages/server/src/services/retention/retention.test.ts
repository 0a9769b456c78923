import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStorage, type Storage } from "../../storage/db.js";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  aggregateMismatches,
  appendTests,
  completeRun,
  existingRuns,
  submitRun,
  type TestSpec,
  wireTest,
} from "../../test-support/retention.js";
import { startServerProcess, type TestServer } from "../../test-support/server-process.js";

/**
 * The retention job against real servers: aggregates stay exact over a long
 * and messy history, while uploads go on, across two instances (one pass at
 * a time), when the server stops mid-pass, and the in-server timer runs.
 */

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAILURES = ["expected 1 to equal 2", "timeout after 30000 ms", "connection refused"];

/** Tests of one run: `keys` tests with mixed behaviour (stable, flaky, mostly skipped, untimed, retried). */
function mixedTests(rnd: () => number, keys: number, prefix: string): TestSpec[] {
  const tests: TestSpec[] = [];
  for (let k = 0; k < keys; k++) {
    const profile = k % 5;
    const r = rnd();
    const status =
      profile === 0
        ? r < 0.97
          ? "passed"
          : "failure"
        : profile === 1
          ? r < 0.5
            ? "passed"
            : "failure"
          : profile === 2
            ? r < 0.85
              ? "skipped"
              : r < 0.93
                ? "passed"
                : "failure"
            : r < 0.8
              ? "passed"
              : "failure";
    const failure = status === "failure" ? FAILURES[Math.floor(rnd() * FAILURES.length)] : undefined;
    const elapsed = profile === 3 && rnd() < 0.7 ? null : Math.floor(rnd() * 5000);
    tests.push({ key: `${prefix}${k}`, status, elapsed, failure });
    // Retries: a flaky test sometimes reports twice in one run.
    if (profile === 1 && rnd() < 0.3) tests.push({ key: `${prefix}${k}`, status: "passed", elapsed: 100 });
  }
  return tests;
}

describe.each(BACKENDS)("retention job on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let storage: Storage;
  let project = 1;
  const put = (projectId: number, policies: unknown) =>
    api.request("PUT", `/x/projects/${projectId}/retention`, { body: { policies } });
  const sourceId = async (name: string, projectId: number) => {
    const sources = await api.get(`/projects/${projectId}/automation/sources?per_page=100`);
    return sources.body.result.find((s: { name: string }) => s.name === name).id as number;
  };
  async function newProject(name: string): Promise<number> {
    const res = await storage.db
      .insertInto("projects")
      .values({
        name,
        note: null,
        is_completed: 0,
        completed_at: null,
        created_at: new Date().toISOString(),
        created_by: 1,
        updated_at: null,
        updated_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return res.id;
  }

  beforeAll(async () => {
    server = await startServerProcess({
      backend,
      env: { ASSAY_RETENTION_INTERVAL_MINUTES: "0", ASSAY_RATE_LIMIT_REQUESTS: "1000000" },
    });
    api = new ApiClient(server.url, server.token);
    storage = openStorage({ databaseUrl: server.env.ASSAY_DATABASE_URL || null, dataDir: server.dataDir });
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  it("keeps every aggregate exact over a long, messy history: overlapping runs, shared commits, retries, skips", async () => {
    project = await newProject("History");
    const rnd = random(42);
    const runs: number[] = [];
    for (let i = 0; i < 118; i++) {
      const commit = i % 3 === 2 ? undefined : `sha${Math.floor(i / 2)}`;
      if (i % 10 === 5) {
        // Two runs of the source at the same time: the older one reports after the newer one.
        const older = await submitRun(api, project, { source: "hist", tests: [], commit, complete: false });
        const newer = await submitRun(api, project, {
          source: "hist",
          tests: mixedTests(rnd, 20, "h"),
          commit: `sha${i}b`,
        });
        await appendTests(api, older.threadId, mixedTests(rnd, 20, "h"));
        await completeRun(api, older.runId);
        runs.push(older.runId, newer.runId);
        i++;
      } else {
        runs.push((await submitRun(api, project, { source: "hist", tests: mixedTests(rnd, 20, "h"), commit })).runId);
      }
    }
    expect(await aggregateMismatches(storage, project)).toEqual([]);
    const hist = await sourceId("hist", project);
    const cases = await storage.db
      .selectFrom("automation_cases")
      .select(["key", "result_count"])
      .where("project_id", "=", project)
      .execute();
    expect(Math.max(...cases.map((c) => c.result_count))).toBeGreaterThan(110);

    // Tests keep more than 100 results (windows trimmed, or a suffix replayed), then fewer (whole history replayed).
    for (const keep of [108, 101, 60, 3, 1]) {
      expect((await put(project, [{ source_id: hist, keep_runs: keep }])).status).toBe(200);
      const pass = await api.post("/x/retention/run", {});
      expect(pass.status).toBe(200);
      expect(await aggregateMismatches(storage, project), `after keep_runs ${keep}`).toEqual([]);
      const left = await storage.db
        .selectFrom("automation_runs")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("source_id", "=", hist)
        .executeTakeFirstOrThrow();
      expect(Number(left.n)).toBe(keep);
    }
    expect(await existingRuns(api, runs.slice(-1))).toEqual(runs.slice(-1));
  });

  it("appends in flight during a pass all succeed, and the counts are still exact afterwards", async () => {
    project = await newProject("Busy");
    const tests = (n: number, run: number): TestSpec[] =>
      Array.from({ length: n }, (_, i) => ({
        key: `b${i}`,
        status: (i + run) % 7 === 0 ? "failure" : (i + run) % 11 === 0 ? "skipped" : "passed",
        elapsed: 100 + ((i * 31 + run) % 900),
        ...((i + run) % 7 === 0 ? { failure: FAILURES[(i + run) % 3] } : {}),
      }));
    const old: number[] = [];
    for (let run = 0; run < 6; run++) {
      old.push((await submitRun(api, project, { source: "bulk", tests: tests(4500, run), batch: 1500 })).runId);
    }
    await put(project, [{ source_id: await sourceId("bulk", project), keep_runs: 2 }]);

    // Three new runs of the same tests upload batch after batch while the pass deletes 4 runs (18,000 tests).
    const open = await Promise.all(
      [0, 1, 2].map((i) => submitRun(api, project, { source: "bulk", tests: [], complete: false, name: `new ${i}` })),
    );
    // Each new run reports its own 900 of the old runs' tests: retention and appends meet on every case,
    // while no two appends report one test at the same moment (which of two simultaneous results of one
    // test counts as the later is the order the appends commit in, not their clock; see decisions.md #45).
    const appends = open.flatMap(({ threadId }, i) =>
      Array.from({ length: 5 }, (_, batch) => ({
        threadId,
        tests: tests(900 * (i + 1), 10 + i).slice(900 * i + batch * 180, 900 * i + batch * 180 + 180),
      })),
    );
    const pass = api.post("/x/retention/run", {});
    const results = await Promise.all([
      pass,
      ...[0, 1, 2].map(async (i) => {
        const statuses: number[] = [];
        for (const batch of appends.filter((a) => a.threadId === open[i]!.threadId)) {
          const res = await api.post(`/automation/runs/threads/${batch.threadId}/append`, {
            // The failures of the old runs: their groups exist already. (Two appends that create the same
            // group at once may leave first_run_id on the one that locked it first, seen_at saying otherwise.)
            tests: batch.tests.map(wireTest),
          });
          statuses.push(res.status);
        }
        return statuses;
      }),
    ]);
    const [passResult, ...appendStatuses] = results as [Awaited<typeof pass>, ...number[][]];
    expect(appendStatuses.flat()).toEqual(Array(15).fill(204));
    expect(passResult.status).toBe(200);
    expect(passResult.body.result).toMatchObject({ runs: 4, tests: 18_000 });
    for (const { runId } of open) await completeRun(api, runId);
    expect(await existingRuns(api, old)).toEqual(old.slice(4));
    expect(await aggregateMismatches(storage, project)).toEqual([]);
  });

  it("a server stopping mid-pass leaves exact aggregates and no lease; the next pass finishes the job", async () => {
    project = await newProject("Stopping");
    const old: number[] = [];
    const tests = (run: number): TestSpec[] =>
      Array.from({ length: 3000 }, (_, i) => ({
        key: `s${i}`,
        status: (i + run) % 5 === 0 ? "failure" : "passed",
        ...((i + run) % 5 === 0 ? { failure: `expected ${(i + run) % 3}` } : {}),
      }));
    for (let run = 0; run < 4; run++)
      old.push((await submitRun(api, project, { source: "stop", tests: tests(run), batch: 1500 })).runId);
    await put(project, [{ source_id: await sourceId("stop", project), keep_runs: 1 }]);
    const second = await startServerProcess({
      sharing: server,
      env: { ASSAY_RETENTION_INTERVAL_MINUTES: "0", ASSAY_RATE_LIMIT_REQUESTS: "1000000" },
    });
    const pass = new ApiClient(second.url, second.token).post("/x/retention/run", {}).catch(() => null);
    await second.stop();
    await pass;
    expect(await storage.db.selectFrom("job_leases").selectAll().execute()).toEqual([]);
    expect(await aggregateMismatches(storage, project)).toEqual([]);
    expect((await api.post("/x/retention/run", {})).status).toBe(200);
    expect(await existingRuns(api, old)).toEqual(old.slice(3));
    expect(await aggregateMismatches(storage, project)).toEqual([]);
  });

  it("runs by itself in the server every ASSAY_RETENTION_INTERVAL_MINUTES", async () => {
    project = await newProject("Timer");
    const runs: number[] = [];
    for (let run = 0; run < 4; run++) {
      runs.push((await submitRun(api, project, { source: "timer", tests: [{ key: "t", status: "passed" }] })).runId);
    }
    await put(project, [{ source_id: null, keep_runs: 2 }]);
    // A second instance with the job on: its first pass comes FIRST_PASS_MS after its start.
    const timed = await startServerProcess({
      sharing: server,
      env: { ASSAY_RETENTION_INTERVAL_MINUTES: "1", ASSAY_RATE_LIMIT_REQUESTS: "1000000" },
    });
    try {
      let left = runs;
      for (let wait = 0; wait < 60 && left.length > 2; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        left = await existingRuns(api, runs);
      }
      expect(left).toEqual(runs.slice(2));
    } finally {
      await timed.stop();
    }
    expect(await aggregateMismatches(storage, project)).toEqual([]);
  });
});

describe.runIf(BACKENDS.includes("postgres"))("retention with two instances on one PostgreSQL", () => {
  let one: TestServer;
  let two: TestServer;
  let storage: Storage;

  beforeAll(async () => {
    one = await startServerProcess({
      backend: "postgres",
      env: { ASSAY_RETENTION_INTERVAL_MINUTES: "0", ASSAY_RATE_LIMIT_REQUESTS: "1000000" },
    });
    two = await startServerProcess({
      sharing: one,
      env: { ASSAY_RETENTION_INTERVAL_MINUTES: "0", ASSAY_RATE_LIMIT_REQUESTS: "1000000" },
    });
    storage = openStorage({ databaseUrl: one.env.ASSAY_DATABASE_URL!, dataDir: one.dataDir });
  });
  afterAll(async () => {
    await storage?.close();
    await two?.stop();
    await one?.stop();
  });

  it("both try to run a pass: one at a time, the runs go once, the counts stay exact", async () => {
    const a = new ApiClient(one.url, one.token);
    const b = new ApiClient(two.url, two.token);
    const runs: number[] = [];
    for (let run = 0; run < 6; run++) {
      const tests = Array.from({ length: 2500 }, (_, i) => ({
        key: `m${i}`,
        status: (i + run) % 4 === 0 ? "failure" : "passed",
        ...((i + run) % 4 === 0 ? { failure: "boom" } : {}),
      }));
      runs.push((await submitRun(run % 2 ? a : b, 1, { source: "multi", tests, batch: 2500 })).runId);
    }
    const sources = await a.get("/projects/1/automation/sources");
    await a.request("PUT", "/x/projects/1/retention", {
      body: { policies: [{ source_id: sources.body.result[0].id, keep_runs: 1 }] },
    });

    // While a lease is held, neither instance runs a pass.
    const until = new Date(Date.now() + 60_000).toISOString();
    await storage.db
      .insertInto("job_leases")
      .values({ name: "retention", holder: "elsewhere", expires_at: until })
      .execute();
    expect((await a.post("/x/retention/run", {})).status).toBe(409);
    expect((await b.post("/x/retention/run", {})).status).toBe(409);
    await storage.db.deleteFrom("job_leases").execute();

    const [first, second] = await Promise.all([a.post("/x/retention/run", {}), b.post("/x/retention/run", {})]);
    for (const res of [first, second]) expect([200, 409]).toContain(res.status);
    const removed = [first, second].filter((r) => r.status === 200).map((r) => r.body.result.runs as number);
    // Had both passes run at once, both would have planned and deleted the same 5 runs.
    expect(removed.reduce((x, y) => x + y, 0)).toBe(5);
    expect(await existingRuns(a, runs)).toEqual(runs.slice(5));
    expect(await aggregateMismatches(storage, 1)).toEqual([]);
  });
});
