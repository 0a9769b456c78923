import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStorage, type Storage } from "../../storage/db.js";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { aggregateMismatches, existingRuns, submitRun, type TestSpec } from "../../test-support/retention.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

/** Retention over HTTP against the real server: policies, and passes by the admin endpoint and the command. */
describe.each(BACKENDS)("retention on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let storage: Storage;
  let manager: string;
  let tester: string;

  const put = (projectId: number, policies: unknown, token?: string) =>
    api.request("PUT", `/x/projects/${projectId}/retention`, { body: { policies }, token });
  const runNow = (body?: unknown) => api.post("/x/retention/run", body);
  const sourceId = async (name: string, projectId = 1) => {
    const sources = await api.get(`/projects/${projectId}/automation/sources?per_page=100`);
    return sources.body.result.find((s: { name: string }) => s.name === name).id as number;
  };

  beforeAll(async () => {
    // The in-server job stays out of the way: passes run when the tests ask for them.
    server = await startServerProcess({
      backend,
      env: { ASSAY_RETENTION_INTERVAL_MINUTES: "0", ASSAY_RATE_LIMIT_REQUESTS: "1000000" },
    });
    api = new ApiClient(server.url, server.token);
    storage = openStorage({ databaseUrl: server.env.ASSAY_DATABASE_URL || null, dataDir: server.dataDir });
    manager = await createUserWithToken(server, "pm@example.com", "project-manager");
    tester = await createUserWithToken(server, "tester@example.com", "tester");
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  describe("policies", () => {
    let unit: number;
    let e2e: number;

    beforeAll(async () => {
      await submitRun(api, 1, { source: "policy-unit", tests: [{ key: "a", status: "passed" }] });
      await submitRun(api, 1, { source: "policy-e2e", tests: [{ key: "a", status: "passed" }] });
      unit = await sourceId("policy-unit");
      e2e = await sourceId("policy-e2e");
    });

    it("keep everything by default; PUT replaces all of a project's policies, GET lists them project-wide first", async () => {
      expect((await api.get("/x/projects/1/retention")).body).toEqual({ result: [] });
      const set = await put(1, [
        { source_id: e2e, keep_runs: 5 },
        { source_id: null, keep_days: 30, keep_runs: 100 },
        { source_id: unit, keep_days: 7, keep_runs: null },
      ]);
      expect(set.status).toBe(200);
      const expected = [
        { source_id: null, keep_days: 30, keep_runs: 100 },
        { source_id: unit, keep_days: 7, keep_runs: null },
        { source_id: e2e, keep_days: null, keep_runs: 5 },
      ].sort((a, b) => (a.source_id ?? 0) - (b.source_id ?? 0));
      expect(set.body).toEqual({ result: expected });
      expect((await api.get("/x/projects/1/retention")).body).toEqual({ result: expected });

      const replaced = await put(1, [{ source_id: null, keep_days: 90 }]);
      expect(replaced.body).toEqual({ result: [{ source_id: null, keep_days: 90, keep_runs: null }] });
      expect((await api.get("/x/projects/1/retention")).body.result).toHaveLength(1);
      expect((await put(1, [])).body).toEqual({ result: [] });
      expect((await api.get("/x/projects/1/retention")).body).toEqual({ result: [] });
    });

    it("rejects another project's or an unknown source, a policy that keeps everything, and duplicates with 422", async () => {
      const other = Number((await runServerCommand(server, ["project", "create", "--name", "Other"])).trim());
      await submitRun(api, other, { source: "foreign", tests: [{ key: "a", status: "passed" }] });
      const foreign = await sourceId("foreign", other);

      const wrongProject = await put(1, [
        { source_id: null, keep_days: 10 },
        { source_id: foreign, keep_runs: 3 },
      ]);
      expect(wrongProject.status).toBe(422);
      expect(wrongProject.body.errors["policies.1.source_id"][0]).toBe(
        `Automation source ${foreign} does not exist in project 1. Use the id of one of its sources (GET /projects/1/automation/sources), or null for the project-wide policy.`,
      );
      expect(wrongProject.body.message).toContain(`Automation source ${foreign} does not exist in project 1`);
      const unknown = await put(1, [{ source_id: 999_999, keep_runs: 3 }]);
      expect(unknown.body.errors["policies.0.source_id"][0]).toContain("999999 does not exist in project 1");

      const keepsAll = await put(1, [
        { source_id: unit, keep_runs: 3 },
        { source_id: null, keep_days: null, keep_runs: null },
      ]);
      expect(keepsAll.status).toBe(422);
      expect(keepsAll.body.errors).toEqual({
        "policies.1": [
          "The policy of the project keeps everything: give keep_days, keep_runs or both. To keep everything, leave it out.",
        ],
      });
      expect((await put(1, [{ source_id: unit }])).body.errors["policies.0"][0]).toContain(
        `The policy of source ${unit} keeps everything`,
      );

      const twice = await put(1, [
        { source_id: null, keep_days: 1 },
        { source_id: unit, keep_days: 2 },
        { source_id: null, keep_runs: 3 },
        { source_id: unit, keep_runs: 4 },
      ]);
      expect(twice.status).toBe(422);
      expect(twice.body.errors).toEqual({
        "policies.2.source_id": [
          "policies.0 already is the policy of the project: give each source at most one policy, and the project at most one with source_id null.",
        ],
        "policies.3.source_id": [
          `policies.1 already is the policy of source ${unit}: give each source at most one policy, and the project at most one with source_id null.`,
        ],
      });

      for (const bad of [
        [{ source_id: null, keep_days: 0 }],
        [{ source_id: null, keep_runs: -1 }],
        [{ source_id: null, keep_days: "30" }],
        [{ source_id: null, keep_days: 30, keep_weeks: 2 }],
        [{ keep_days: 30 }],
      ]) {
        const res = await put(1, bad);
        expect(res.status, JSON.stringify(bad)).toBe(422);
        expect(Object.keys(res.body.errors)[0], JSON.stringify(bad)).toMatch(/^policies\.0/);
      }
      expect((await api.request("PUT", "/x/projects/1/retention", { body: {} })).body.errors).toHaveProperty(
        "policies",
      );
      // Nothing was stored by any of them.
      expect((await api.get("/x/projects/1/retention")).body).toEqual({ result: [] });
    });

    it("needs manageProject: project managers may, testers get 403; unknown projects 404", async () => {
      expect((await put(1, [{ source_id: null, keep_days: 365 }], manager)).status).toBe(200);
      expect((await api.get("/x/projects/1/retention", { token: manager })).body.result).toHaveLength(1);
      const read = await api.get("/x/projects/1/retention", { token: tester });
      expect(read.status).toBe(403);
      expect(read.body.message).toBe(
        "Your role in project 1 does not allow you to view the project's retention policies. Ask a project manager for a role that does.",
      );
      const write = await put(1, [], tester);
      expect(write.status).toBe(403);
      expect(write.body.message).toContain("does not allow you to change the project's retention policies");
      expect((await api.get("/x/projects/1/retention")).body.result).toHaveLength(1);
      const missing = await api.get("/x/projects/9999/retention");
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe("Project 9999 does not exist.");
      expect((await put(9999, [])).status).toBe(404);
      const run = await api.post("/x/retention/run", {}, { token: manager });
      expect(run.status).toBe(403);
      expect(run.body.message).toBe(
        "Only administrators may run retention now (/api/v1/x/retention/run). Ask an administrator.",
      );
      expect((await put(1, [])).status).toBe(200);
    });
  });

  describe("passes", () => {
    const tests = (n: number, prefix: string, failing = 0): TestSpec[] =>
      Array.from({ length: n }, (_, i) => ({
        key: `${prefix}${i}`,
        status: i < failing ? "failure" : i % 5 === 4 ? "skipped" : "passed",
        elapsed: 1000 + i,
        ...(i < failing ? { failure: `expected ${i} to equal 0` } : {}),
      }));

    it("keep_runs 3 on a source with 6 completed runs and 1 running: the 3 oldest completed go, the rest stays", async () => {
      const completed: number[] = [];
      let running = 0;
      for (let i = 0; i < 6; i++) {
        // The first run alone has the test "onlyfirst": its case stays, with nothing left.
        const extra: TestSpec[] = i === 0 ? [{ key: "onlyfirst", status: "failure", failure: "only once" }] : [];
        const { runId } = await submitRun(api, 1, {
          source: "unit",
          tests: [...tests(30, "u", i % 3), ...extra],
          commit: `c${Math.floor(i / 2)}`,
        });
        completed.push(runId);
        if (i === 2) {
          running = (await submitRun(api, 1, { source: "unit", tests: tests(10, "u"), complete: false })).runId;
        }
      }
      const others: number[] = [];
      for (let i = 0; i < 4; i++)
        others.push((await submitRun(api, 1, { source: "other", tests: tests(5, "o", 1) })).runId);
      const unit = await sourceId("unit");
      const onlyOnce = storage.db.selectFrom("failure_groups").select("id").where("sample", "=", "only once");
      expect(await onlyOnce.execute()).toHaveLength(1);
      await put(1, [{ source_id: unit, keep_runs: 3 }]);

      const dry = await runNow({ dry_run: true });
      expect(dry.status).toBe(200);
      const removal = {
        project_id: 1,
        project_name: expect.any(String),
        source_id: unit,
        source_name: "unit",
        policy: { source_id: unit, keep_days: null, keep_runs: 3 },
        runs: 3,
        tests: 91,
      };
      expect(dry.body).toEqual({ result: { dry_run: true, runs: 3, tests: 91, sources: [removal] } });
      expect(await existingRuns(api, completed)).toEqual(completed);

      const real = await runNow();
      expect(real.status).toBe(200);
      expect(real.body).toEqual({ result: { dry_run: false, runs: 3, tests: 91, sources: [removal] } });
      expect(await existingRuns(api, [...completed, running, ...others])).toEqual([
        ...completed.slice(3),
        running,
        ...others,
      ]);
      const gone = await api.get(`/automation/runs/${completed[0]}`);
      expect(gone.status).toBe(404);
      expect(await aggregateMismatches(storage, 1)).toEqual([]);

      // The case whose only results went keeps its row, with nothing counted.
      const onlyFirst = await storage.db
        .selectFrom("automation_cases")
        .selectAll()
        .where("key", "=", "onlyfirst")
        .executeTakeFirstOrThrow();
      expect(onlyFirst).toMatchObject({
        result_count: 0,
        failure_count: 0,
        recent_outcomes: "",
        last_run_id: null,
        last_failure_group_id: null,
      });
      // Its failure group had no other occurrence: gone with it.
      expect(
        await storage.db.selectFrom("failure_groups").selectAll().where("sample", "=", "only once").execute(),
      ).toEqual([]);

      // Nothing more to do: a second pass removes nothing, the running run still takes results.
      expect((await runNow()).body.result).toEqual({ dry_run: false, runs: 0, tests: 0, sources: [] });
      const thread = (await api.post(`/automation/runs/${running}/threads`, {})).body.id;
      const more = await api.post(`/automation/runs/threads/${thread}/append`, {
        tests: [{ key: "late", name: "late", folder: "f", status: "passed" }],
      });
      expect(more.status).toBe(204);
      expect((await api.post(`/automation/runs/${running}/complete`, {})).status).toBe(204);

      // A project-wide policy covers the other sources; the source's own policy still wins for "unit".
      await put(1, [
        { source_id: null, keep_runs: 2 },
        { source_id: unit, keep_runs: 3 },
      ]);
      const second = await runNow();
      expect(
        second.body.result.sources.map((s: { source_name: string; runs: number }) => [s.source_name, s.runs]),
      ).toEqual([
        ["unit", 1],
        ["other", 2],
      ]);
      expect(await existingRuns(api, others)).toEqual(others.slice(2));
      expect(await aggregateMismatches(storage, 1)).toEqual([]);
      await put(1, []);
    });

    it("keep_days by the command, with backdated runs; --dry-run changes nothing", async () => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++)
        runs.push((await submitRun(api, 1, { source: "nightly", tests: tests(20, "n", 2) })).runId);
      // Over HTTP a run cannot be backdated: set created_at in the database, as `assay-server demo` does.
      const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
      for (const [i, days] of [
        [0, 45],
        [1, 40],
        [2, 31],
        [3, 29],
      ] as const) {
        await storage.db
          .updateTable("automation_runs")
          .set({ created_at: daysAgo(days) })
          .where("id", "=", runs[i]!)
          .execute();
      }
      const nightly = await sourceId("nightly");
      await put(1, [{ source_id: nightly, keep_days: 30 }]);

      const dry = await runServerCommand(server, ["retention", "run", "--dry-run"]);
      expect(dry).toBe(
        `Project 1 "First project", source ${nightly} "nightly" (own policy: keep_days 30): would remove 3 runs, 60 tests\n` +
          "Would remove 3 runs, 60 tests in total (dry run: nothing changed).\n",
      );
      expect(await existingRuns(api, runs)).toEqual(runs);

      const real = await runServerCommand(server, ["retention", "run"]);
      expect(real).toMatch(
        new RegExp(
          `^Project 1 "First project", source ${nightly} "nightly" \\(own policy: keep_days 30\\): removed 3 runs, 60 tests\\nRemoved 3 runs, 60 tests in total in \\d+\\.\\d s\\.\\n$`,
        ),
      );
      expect(await existingRuns(api, runs)).toEqual(runs.slice(3));
      expect(await aggregateMismatches(storage, 1)).toEqual([]);
      expect(await runServerCommand(server, ["retention", "run"])).toBe("Nothing to remove.\n");
      await put(1, []);
    });

    it("--vacuum shrinks a SQLite file and converts one from before retention to incremental auto-vacuum", async () => {
      if (backend === "postgres") {
        expect(await runServerCommand(server, ["retention", "run", "--vacuum"])).toBe(
          "Nothing to remove.\n--vacuum: PostgreSQL reuses the freed space itself (autovacuum); nothing to do.\n",
        );
        return;
      }
      const sqlite = storage.sqlite!;
      expect(sqlite.pragma("auto_vacuum", { simple: true })).toBe(2);
      // A file created before retention existed: auto_vacuum NONE.
      sqlite.pragma("auto_vacuum = NONE");
      sqlite.exec("VACUUM");
      expect(sqlite.pragma("auto_vacuum", { simple: true })).toBe(0);
      const out = await runServerCommand(server, ["retention", "run", "--vacuum"]);
      expect(out).toMatch(
        /^Nothing to remove\.\nVacuumed .*assay\.sqlite: [\d.]+ MiB → [\d.]+ MiB \(now in incremental auto-vacuum: later passes give space back by themselves\)\.\n$/,
      );
      // (this connection reads the header anew with its next read)
      sqlite.prepare("SELECT COUNT(*) FROM automation_runs").get();
      expect(sqlite.pragma("auto_vacuum", { simple: true })).toBe(2);
      await expect(runServerCommand(server, ["retention", "run", "--dry-run", "--vacuum"])).rejects.toThrow(
        "--dry-run changes nothing: leave out --vacuum.",
      );
    });

    it("one pass at a time: 409 while another holder has the lease, which frees itself once expired", async () => {
      const inAMinute = new Date(Date.now() + 60_000).toISOString();
      await storage.db
        .insertInto("job_leases")
        .values({ name: "retention", holder: "crashed-host:1", expires_at: inAMinute })
        .execute();
      const busy = await runNow();
      expect(busy.status).toBe(409);
      expect(busy.body.message).toBe(
        `Another retention pass is running (crashed-host:1, its lease runs until ${inAMinute}). Try again later.`,
      );
      expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
      await expect(runServerCommand(server, ["retention", "run"])).rejects.toThrow("Another retention pass is running");
      // A dry run takes no lease.
      expect((await runNow({ dry_run: true })).status).toBe(200);

      await storage.db
        .updateTable("job_leases")
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where("name", "=", "retention")
        .execute();
      expect((await runNow()).status).toBe(200);
      // Released at the end of the pass.
      expect(await storage.db.selectFrom("job_leases").selectAll().execute()).toEqual([]);
    });
  });
});
