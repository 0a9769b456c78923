// biome-ignore-all lint/suspicious/noExplicitAny: e2e tests read response bodies field by field
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStorage, type Storage } from "../../storage/db.js";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createOutsiderToken,
  createUserWithToken,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

/**
 * Case-centric test intelligence over HTTP on every backend. Six CI runs of
 * source "intel" (commits c1…c6, branch main, the last on dev) report:
 * - flip:   P F P F P F → flip rate 100 %, flaky by flip rate; failures share one failure group
 * - some:   P F F P P F → flip rate 60 % (50 % over the last 5)
 * - stable: passed five times, then skipped
 * - slow:   passed twice per run, 1 ms, 2 ms … 12 ms: slower by 150 %
 * - retry:  failed then passed in run 1 (same commit): flaky by same commit
 * and one run of source "other" reports its own "stable".
 */

const FLIP = ["passed", "failed", "passed", "failed", "passed", "failed"];
const SOME = ["passed", "failed", "failed", "passed", "passed", "failed"];

function failure(type: string, message: string) {
  return {
    type: 4,
    name: "Failure",
    value: `${type}: ${message}\n    at Object.<anonymous> (tests/example.spec.ts:10:5)`,
    meta: { type, message },
    is_highlight: false,
  };
}

function result(key: string, status: string, options: { folder?: string; elapsed?: number; fields?: unknown[] } = {}) {
  return {
    key,
    name: `${key} test`,
    folder: options.folder ?? "suite.misc",
    status,
    elapsed: options.elapsed ?? 1000,
    fields: status === "failed" ? (options.fields ?? []) : [],
  };
}

interface Item {
  id: number;
  name: string;
  [key: string]: any;
}

/** Checks that items are ordered by `column` then id, both in `order`, nulls counting as the lowest value. */
function expectOrdered(items: Item[], column: string, order: "asc" | "desc") {
  const sign = order === "asc" ? 1 : -1;
  const compare = (a: Item, b: Item) => {
    const x = a[column];
    const y = b[column];
    let c = 0;
    if (x === null && y !== null) c = -1;
    else if (x !== null && y === null) c = 1;
    else if (typeof x === "string") c = x < y ? -1 : x > y ? 1 : 0;
    else if (x !== null) c = x - y;
    return sign * (c !== 0 ? c : a.id - b.id);
  };
  expect(items.map((i) => i.id)).toEqual([...items].sort(compare).map((i) => i.id));
}

describe.each(BACKENDS)("test intelligence by case on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let reader: ApiClient;
  let tester: ApiClient;
  let outsider: ApiClient;
  let storage: Storage;
  const ids: Record<string, number> = {};
  const runs: number[] = [];
  let intelSource = 0;
  let otherSource = 0;

  async function report(name: string, source: string, fields: unknown[], tests: unknown[]) {
    const run = await api.post("/projects/1/automation/runs", { name, source, fields });
    expect(run.status).toBe(201);
    const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
    expect(thread.status).toBe(201);
    const append = await api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests });
    expect(append.status, JSON.stringify(append.body)).toBe(204);
    expect((await api.post(`/automation/runs/${run.body.id}/complete`, {})).status).toBe(204);
    return run.body.id as number;
  }

  const list = (query = "") => api.get(`/x/projects/1/automation/cases?source_id=${intelSource}${query}`);
  const names = (res: { body: { result: Item[] } }) => res.body.result.map((c) => c.name.replace(" test", ""));
  const put = (client: ApiClient, caseId: number, body: unknown, headers: Record<string, string> = {}) =>
    client.request("PUT", `/x/automation/cases/${caseId}/quarantine`, { body, headers });
  const patchSettings = (client: ApiClient, body: unknown, project = 1) =>
    client.request("PATCH", `/x/projects/${project}/insight-settings`, { body });

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    reader = api.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    tester = api.withToken(await createUserWithToken(server, "tester@example.com", "tester"));
    outsider = api.withToken(await createOutsiderToken(server));
    storage = openStorage({ databaseUrl: server.env.ASSAY_DATABASE_URL || null, dataDir: server.dataDir });

    for (let i = 0; i < 6; i++) {
      const fields = [
        { type: 1, name: "Commit", value: `c${i + 1}` },
        { type: 1, name: "Branch", value: i === 5 ? "dev" : "main" },
      ];
      const tests = [
        result("flip", FLIP[i]!, {
          folder: "suite.flaky",
          fields: [failure("AssertionError", `expected ${i} to equal ${i + 1}`)],
        }),
        result("some", SOME[i]!, { folder: "suite.flaky", fields: [failure("TimeoutError", "timed out")] }),
        result("stable", i === 5 ? "skipped" : "passed", { folder: "suite.stable" }),
        result("slow", "passed", { folder: "suite.stable", elapsed: 1000 * (2 * i + 1) }),
        result("slow", "passed", { folder: "suite.stable", elapsed: 1000 * (2 * i + 2) }),
        ...(i === 0 ? [result("retry", "failed"), result("retry", "passed")] : []),
      ];
      runs.push(await report(`CI #${i + 1}`, "intel", fields, tests));
    }
    await report("Other #1", "other", [], [result("stable", "passed")]);

    const sources = (await api.get("/projects/1/automation/sources")).body.result as { id: number; name: string }[];
    intelSource = sources.find((s) => s.name === "intel")!.id;
    otherSource = sources.find((s) => s.name === "other")!.id;
    const all = await list("&per_page=100");
    for (const c of all.body.result as Item[]) ids[c.name.replace(" test", "")] = c.id;
  });

  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  describe("GET /x/projects/{id}/automation/cases", () => {
    it("ranks the flaky tests first by default, with their figures and reasons", async () => {
      const res = await list();
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page: 1, last_page: 1, per_page: 100, total: 5, prev_page: null });
      expect(res.body.expands).toBeUndefined();
      expectOrdered(res.body.result, "flaky_percent", "desc");
      expect(names(res)[2]).toBe("some");
      expect(new Set(names(res).slice(0, 2))).toEqual(new Set(["flip", "retry"]));
      const byName = Object.fromEntries(res.body.result.map((c: Item) => [c.name.replace(" test", ""), c]));
      expect(byName.flip).toMatchObject({
        source_id: intelSource,
        key: "flip",
        folder: "suite.flaky",
        status: 3,
        result_count: 6,
        success_count: 3,
        failure_count: 3,
        skipped_count: 0,
        flaky_percent: 100,
        is_flaky: true,
        flaky_reasons: ["flip_rate"],
        recent_outcomes: "PFPFPF",
        last_run_id: runs[5],
        quarantine: null,
      });
      expect(byName.retry).toMatchObject({
        status: 2,
        result_count: 2,
        recent_outcomes: "Fp",
        is_flaky: true,
        flaky_reasons: ["same_commit"],
      });
      expect(byName.some).toMatchObject({ flaky_percent: 60, is_flaky: true, flaky_reasons: ["flip_rate"] });
      expect(byName.stable).toMatchObject({
        status: 1,
        result_count: 6,
        success_count: 5,
        skipped_count: 1,
        recent_outcomes: "PPPPP",
        flaky_percent: 0,
        is_flaky: false,
        flaky_reasons: [],
      });
      expect(byName.slow).toMatchObject({
        result_count: 12,
        elapsed_average: 6500,
        elapsed_p95: 12_000,
        elapsed_change_percent: 150,
      });
      expect(byName.flip.last_failure_group_id).toEqual(expect.any(Number));
      expect(byName.flip.last_failed_at).toEqual(byName.flip.last_result_at);
    });

    it("sorts by every documented column, in both orders, with ties by id and nulls lowest", async () => {
      for (const column of [
        "flaky_percent",
        "elapsed_average",
        "elapsed_p95",
        "elapsed_change_percent",
        "failure_count",
        "last_result_at",
        "name",
      ]) {
        for (const order of ["asc", "desc"] as const) {
          const res = await list(`&sort=${column}&order=${order}`);
          expect(res.status, `${column} ${order}`).toBe(200);
          expect(res.body.total).toBe(5);
          expectOrdered(res.body.result, column, order);
        }
      }
      // The slowest and the most slowed-down test lead their lists; without a change figure tests come last.
      expect(names(await list("&sort=elapsed_p95"))[0]).toBe("slow");
      expect(names(await list("&sort=automation_cases:elapsed_average"))[0]).toBe("slow");
      const change = await list("&sort=elapsed_change_percent");
      expect(change.body.result.map((c: Item) => c.elapsed_change_percent)).toEqual([150, null, null, null, null]);
      expect(names(await list("&sort=name&order=asc"))).toEqual(["flip", "retry", "slow", "some", "stable"]);
      expect(names(await list("&sort=failure_count&per_page=15"))[0]).toMatch(/flip|some/);
    });

    it("filters by source, outcome, flakiness, name and folder", async () => {
      const everything = await api.get("/x/projects/1/automation/cases?name=stable");
      expect(everything.body.total).toBe(2);
      expect(new Set(everything.body.result.map((c: Item) => c.source_id))).toEqual(
        new Set([intelSource, otherSource]),
      );
      expect((await api.get(`/x/projects/1/automation/cases?source_id=${otherSource}`)).body.total).toBe(1);
      expect(new Set(names(await list("&status=3")))).toEqual(new Set(["flip", "some"]));
      expect(new Set(names(await list("&status=1,2")))).toEqual(new Set(["stable", "slow", "retry"]));
      expect(new Set(names(await list("&flaky=true")))).toEqual(new Set(["flip", "some", "retry"]));
      expect(new Set(names(await list("&flaky=0")))).toEqual(new Set(["stable", "slow"]));
      expect(names(await list("&name=FLI"))).toEqual(["flip"]);
      expect((await list("&name=%25")).body).toMatchObject({ total: 0, page: null, result: [] });
      expect(new Set(names(await list("&folder=suite.flaky")))).toEqual(new Set(["flip", "some"]));
      expect((await list("&folder=suite")).body.total).toBe(0);
      const paged = await list("&per_page=15&page=2");
      expect(paged.body).toMatchObject({ page: 2, last_page: 1, total: 5, result: [] });
    });

    it("rejects bad parameters with 422 naming them, and guards the project", async () => {
      const status = await list("&status=4");
      expect(status.status).toBe(422);
      expect(status.body.errors.status[0]).toContain("1 (neutral");
      const sort = await list("&sort=id");
      expect(sort.status).toBe(422);
      expect(sort.body.errors.sort[0]).toContain("flaky_percent");
      expect((await list("&per_page=10")).status).toBe(422);
      expect((await list("&flaky=maybe")).status).toBe(422);
      expect((await list("&order=up")).status).toBe(422);
      const missing = await api.get("/x/projects/999/automation/cases");
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe("Project 999 does not exist.");
      const denied = await outsider.get("/x/projects/1/automation/cases");
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain("do not have access to project 1");
      expect((await reader.get("/x/projects/1/automation/cases")).status).toBe(200);
    });
  });

  describe("GET /x/automation/cases/{id} and its history and failure groups", () => {
    it("returns one test in {result}", async () => {
      const res = await api.get(`/x/automation/cases/${ids.retry}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(["result"]);
      expect(res.body.result).toMatchObject({ id: ids.retry, key: "retry", flaky_reasons: ["same_commit"] });
      expect((await reader.get(`/x/automation/cases/${ids.retry}`)).status).toBe(200);
    });

    it("lists the history newest first with run, commit, branch, outcome and failure", async () => {
      const res = await api.get(`/x/automation/cases/${ids.flip}/history`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 6, per_page: 100, page: 1, last_page: 1 });
      const items = res.body.result as Item[];
      expect(items.map((h) => h.run_id)).toEqual([...runs].reverse());
      expect(items.map((h) => h.id)).toEqual(items.map((h) => h.id).sort((a, b) => b - a));
      expect(items.map((h) => h.run_name)).toEqual(["CI #6", "CI #5", "CI #4", "CI #3", "CI #2", "CI #1"]);
      expect(items.map((h) => h.commit_sha)).toEqual(["c6", "c5", "c4", "c3", "c2", "c1"]);
      expect(items.map((h) => h.branch)).toEqual(["dev", "main", "main", "main", "main", "main"]);
      expect(items.map((h) => h.status)).toEqual([3, 2, 3, 2, 3, 2]);
      expect(items.map((h) => h.status_id)).toEqual([3, 2, 3, 2, 3, 2]);
      const [failed, passed] = items;
      expect(failed!.message).toContain("expected 5 to equal 6");
      expect(failed!.failure_group_id).toEqual(expect.any(Number));
      expect(failed!).toMatchObject({ elapsed: 1000, thread_id: expect.any(Number) });
      expect(passed!).toMatchObject({ message: null, failure_group_id: null });
      expect(new Set(items.filter((h) => h.status === 3).map((h) => h.failure_group_id)).size).toBe(1);

      const skipped = await api.get(`/x/automation/cases/${ids.stable}/history?per_page=15`);
      expect(skipped.body).toMatchObject({ total: 6, per_page: 15 });
      expect(skipped.body.result[0]).toMatchObject({ status: 1, status_id: 6, commit_sha: "c6" });
    });

    it("filters the history by outcome and branch, and pages it", async () => {
      const failures = await api.get(`/x/automation/cases/${ids.flip}/history?status=3`);
      expect(failures.body.total).toBe(3);
      expect(failures.body.result.every((h: Item) => h.status === 3)).toBe(true);
      const dev = await api.get(`/x/automation/cases/${ids.flip}/history?branch=dev`);
      expect(dev.body.result.map((h: Item) => h.run_name)).toEqual(["CI #6"]);
      const neutral = await api.get(`/x/automation/cases/${ids.stable}/history?status=1&branch=dev`);
      expect(neutral.body.total).toBe(1);
      const slow = await api.get(`/x/automation/cases/${ids.slow}/history?per_page=15&page=1`);
      expect(slow.body).toMatchObject({ total: 12, last_page: 1 });
      expect(slow.body.result.map((h: Item) => h.elapsed)).toEqual(
        Array.from({ length: 12 }, (_, i) => 12_000 - 1000 * i),
      );
      const bad = await api.get(`/x/automation/cases/${ids.flip}/history?status=0`);
      expect(bad.status).toBe(422);
      expect(bad.body.errors.status).toBeDefined();
      expect((await api.get(`/x/automation/cases/${ids.flip}/history?per_page=20`)).status).toBe(422);
    });

    it("lists the failure groups a test failed with, with its own occurrences", async () => {
      const res = await api.get(`/x/automation/cases/${ids.flip}/failure-groups`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      const [group] = res.body.result;
      expect(group).toMatchObject({
        project_id: 1,
        type: "AssertionError",
        occurrence_count: 3,
        test_count: 1,
        run_count: 3,
        test_occurrence_count: 3,
        first_run_id: runs[1],
        last_run_id: runs[5],
      });
      expect(group.message).not.toContain("expected 1 to equal 2");
      expect(group.sample).toContain("expected 1 to equal 2");
      expect(group.frames).toEqual(expect.any(Array));
      expect(group.test_last_seen_at >= group.test_first_seen_at).toBe(true);
      const flip = (await api.get(`/x/automation/cases/${ids.flip}`)).body.result;
      expect(flip.last_failure_group_id).toBe(group.id);
      const none = await api.get(`/x/automation/cases/${ids.stable}/failure-groups`);
      expect(none.body).toMatchObject({ total: 0, page: null, result: [] });
      // retry failed without a failure field: it joins no group
      expect((await api.get(`/x/automation/cases/${ids.retry}/failure-groups`)).body.total).toBe(0);
    });

    it("answers 404 for an unknown test and 403 without access to its project", async () => {
      for (const suffix of ["", "/history", "/failure-groups"]) {
        const missing = await api.get(`/x/automation/cases/999999${suffix}`);
        expect(missing.status).toBe(404);
        expect(missing.body.message).toBe("Automation case 999999 does not exist.");
        const denied = await outsider.get(`/x/automation/cases/${ids.flip}${suffix}`);
        expect(denied.status).toBe(403);
        expect(denied.body.message).toContain("Ask");
        expect(JSON.stringify(denied.body)).not.toContain("flip");
      }
      expect((await api.get("/x/automation/cases/0")).status).toBe(422);
    });
  });

  describe("PUT/DELETE /x/automation/cases/{id}/quarantine", () => {
    it("quarantines a test, shows it everywhere, replaces it and lifts it", async () => {
      const first = await put(tester, ids.flip!, { reason: "known flaky: JIRA-12" });
      expect(first.status).toBe(200);
      expect(first.body.result).toMatchObject({ reason: "known flaky: JIRA-12", expires_at: null });
      expect(first.body.result.created_by).toEqual(expect.any(Number));
      expect((await api.get(`/x/automation/cases/${ids.flip}`)).body.result.quarantine).toEqual(first.body.result);
      expect(names(await list("&quarantined=true"))).toEqual(["flip"]);
      expect(names(await list("&quarantined=false"))).not.toContain("flip");
      expect((await list("&quarantined=false")).body.total).toBe(4);

      const replaced = await put(api, ids.flip!, { reason: "until the fix", expires_at: "2100-01-01T01:00:00+01:00" });
      expect(replaced.status).toBe(200);
      expect(replaced.body.result).toMatchObject({
        reason: "until the fix",
        expires_at: "2100-01-01T00:00:00.000Z",
        created_by: 1,
      });
      const listed = (await list("&quarantined=1")).body.result[0];
      expect(listed.quarantine).toEqual(replaced.body.result);

      expect((await api.request("DELETE", `/x/automation/cases/${ids.flip}/quarantine`)).status).toBe(204);
      expect((await api.get(`/x/automation/cases/${ids.flip}`)).body.result.quarantine).toBeNull();
      // Idempotent: lifting a quarantine that is not there is a 204 too.
      const again = await api.request("DELETE", `/x/automation/cases/${ids.flip}/quarantine`);
      expect(again.status).toBe(204);
      expect(again.body).toBe("");
      expect((await list("&quarantined=true")).body.total).toBe(0);
    });

    it("treats an expired quarantine as none", async () => {
      expect((await put(api, ids.some!, { reason: "short", expires_at: "2100-01-01T00:00:00Z" })).status).toBe(200);
      await storage.db
        .updateTable("automation_case_quarantines")
        .set({ expires_at: "2000-01-01T00:00:00.000Z" })
        .where("case_id", "=", ids.some!)
        .execute();
      expect((await api.get(`/x/automation/cases/${ids.some}`)).body.result.quarantine).toBeNull();
      expect((await list("&quarantined=true")).body.total).toBe(0);
      expect(names(await list("&quarantined=false"))).toContain("some");
      // and a new quarantine replaces the expired one
      const renewed = await put(api, ids.some!, { reason: "again" });
      expect(renewed.body.result).toMatchObject({ reason: "again", expires_at: null });
      expect(names(await list("&quarantined=true"))).toEqual(["some"]);
      expect((await api.request("DELETE", `/x/automation/cases/${ids.some}/quarantine`)).status).toBe(204);
    });

    it("replays a PUT sent again with the same Idempotency-Key", async () => {
      const key = { "Idempotency-Key": `quarantine-${backend}` };
      const first = await put(api, ids.slow!, { reason: "slow" }, key);
      const second = await put(api, ids.slow!, { reason: "slow" }, key);
      expect(second.status).toBe(200);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      expect(second.body).toEqual(first.body);
      const other = await put(api, ids.slow!, { reason: "other" }, key);
      expect(other.status).toBe(422);
      expect(other.body.errors["Idempotency-Key"]).toBeDefined();
      expect((await api.request("DELETE", `/x/automation/cases/${ids.slow}/quarantine`)).status).toBe(204);
    });

    it("rejects a past expiry, an empty reason and unknown keys with 422, changing nothing", async () => {
      const past = await put(api, ids.stable!, { reason: "x", expires_at: "2020-01-01T00:00:00Z" });
      expect(past.status).toBe(422);
      expect(past.body.errors.expires_at[0]).toContain("must be in the future");
      const blank = await put(api, ids.stable!, { reason: "   " });
      expect(blank.status).toBe(422);
      expect(blank.body.errors.reason[0]).toContain("must not be empty");
      const missing = await put(api, ids.stable!, {});
      expect(missing.status).toBe(422);
      expect(missing.body.errors.reason).toEqual(["The reason field is required."]);
      expect((await put(api, ids.stable!, { reason: "x", until: "tomorrow" })).status).toBe(422);
      expect((await put(api, ids.stable!, { reason: "x", expires_at: "tomorrow" })).status).toBe(422);
      expect((await api.get(`/x/automation/cases/${ids.stable}`)).body.result.quarantine).toBeNull();
    });

    it("needs the automation permission: read-only users and outsiders get 403, unknown tests 404", async () => {
      const readOnly = await put(reader, ids.stable!, { reason: "x" });
      expect(readOnly.status).toBe(403);
      expect(readOnly.body.message).toBe(
        "Your role in project 1 does not allow you to quarantine tests. Ask a project manager for a role that does.",
      );
      expect((await reader.request("DELETE", `/x/automation/cases/${ids.stable}/quarantine`)).status).toBe(403);
      expect((await put(outsider, ids.stable!, { reason: "x" })).status).toBe(403);
      expect((await outsider.request("DELETE", `/x/automation/cases/${ids.stable}/quarantine`)).status).toBe(403);
      const unknown = await put(api, 999999, { reason: "x" });
      expect(unknown.status).toBe(404);
      expect((await api.request("DELETE", "/x/automation/cases/999999/quarantine")).status).toBe(404);
      expect((await api.get(`/x/automation/cases/${ids.stable}`)).body.result.quarantine).toBeNull();
    });
  });

  describe("GET/PATCH /x/projects/{id}/insight-settings", () => {
    it("gives the defaults before any change, to every reader", async () => {
      const res = await reader.get("/x/projects/1/insight-settings");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ result: { flaky_window: 30, flaky_threshold_percent: 10, flaky_min_results: 5 } });
      expect((await outsider.get("/x/projects/1/insight-settings")).status).toBe(403);
      expect((await api.get("/x/projects/999/insight-settings")).status).toBe(404);
    });

    it("recomputes every test's flakiness when the settings change", async () => {
      const strict = await patchSettings(api, { flaky_threshold_percent: 100 });
      expect(strict.status).toBe(200);
      expect(strict.body).toEqual({ result: { flaky_window: 30, flaky_threshold_percent: 100, flaky_min_results: 5 } });
      expect((await api.get("/x/projects/1/insight-settings")).body).toEqual(strict.body);
      const some = (await api.get(`/x/automation/cases/${ids.some}`)).body.result;
      expect(some).toMatchObject({ flaky_percent: 60, is_flaky: false, flaky_reasons: [] });
      expect(new Set(names(await list("&flaky=true")))).toEqual(new Set(["flip", "retry"]));

      // A window of 5: "some" keeps F F P P F, two flips in four: 50 %; "flip" still flips every time.
      const window = await patchSettings(api, { flaky_window: 5 });
      expect(window.body.result).toEqual({ flaky_window: 5, flaky_threshold_percent: 100, flaky_min_results: 5 });
      const byName = Object.fromEntries((await list()).body.result.map((c: Item) => [c.name.replace(" test", ""), c]));
      expect(byName.some).toMatchObject({ flaky_percent: 50, is_flaky: false });
      expect(byName.flip).toMatchObject({ flaky_percent: 100, is_flaky: true, flaky_reasons: ["flip_rate"] });
      expect(byName.retry).toMatchObject({ is_flaky: true, flaky_reasons: ["same_commit"] });
      expectOrdered((await list()).body.result, "flaky_percent", "desc");

      const lenient = await patchSettings(api, { flaky_threshold_percent: 50 });
      expect(lenient.status).toBe(200);
      expect((await api.get(`/x/automation/cases/${ids.some}`)).body.result).toMatchObject({
        flaky_percent: 50,
        is_flaky: true,
        flaky_reasons: ["flip_rate"],
      });
      // An empty PATCH changes nothing.
      expect((await patchSettings(api, {})).body.result).toEqual(lenient.body.result);

      const defaults = await patchSettings(api, {
        flaky_window: 30,
        flaky_threshold_percent: 10,
        flaky_min_results: 5,
      });
      expect(defaults.status).toBe(200);
      expect((await api.get(`/x/automation/cases/${ids.some}`)).body.result).toMatchObject({
        flaky_percent: 60,
        is_flaky: true,
      });
    });

    it("recomputes past the first chunk of 2,000 tests", async () => {
      const count = 2500;
      const tests = (status: string) =>
        Array.from({ length: count }, (_, i) => ({ ...result(`bulk${i}`, status), fields: [] }));
      await report("Bulk #1", "bulk", [], tests("passed"));
      await report("Bulk #2", "bulk", [], tests("failed"));
      const sources = (await api.get("/projects/1/automation/sources")).body.result as { id: number; name: string }[];
      const bulk = `/x/projects/1/automation/cases?source_id=${sources.find((s) => s.name === "bulk")!.id}`;
      // P then F on two commits: a 100 % flip rate, but fewer outcomes than flaky_min_results (5).
      expect((await api.get(`${bulk}&flaky=true`)).body.total).toBe(0);
      expect((await patchSettings(api, { flaky_min_results: 2 })).status).toBe(200);
      const flaky = await api.get(`${bulk}&flaky=true&sort=name&order=desc&per_page=15`);
      expect(flaky.body.total).toBe(count);
      expect(flaky.body.result[0]).toMatchObject({ key: "bulk999", flaky_percent: 100, flaky_reasons: ["flip_rate"] });
      expect((await patchSettings(api, { flaky_min_results: 5 })).status).toBe(200);
      expect((await api.get(`${bulk}&flaky=true`)).body.total).toBe(0);
    });

    it("rejects out-of-range values, wrong types, unknown keys and a window shorter than the minimum", async () => {
      const cases: [unknown, string, string][] = [
        [{ flaky_window: 4 }, "flaky_window", "at least 5"],
        [{ flaky_window: 101 }, "flaky_window", "at most 100"],
        [{ flaky_threshold_percent: 0 }, "flaky_threshold_percent", "at least 1"],
        [{ flaky_threshold_percent: 101 }, "flaky_threshold_percent", "at most 100"],
        [{ flaky_min_results: 1 }, "flaky_min_results", "at least 2"],
        [{ flaky_min_results: 101 }, "flaky_min_results", "at most 100"],
        [{ flaky_window: "10" }, "flaky_window", "type integer"],
        [{ flaky_window: 10.5 }, "flaky_window", "type integer"],
        [{ flaky_window: 10, flaky_min_results: 11 }, "flaky_min_results", "at most flaky_window (10)"],
      ];
      for (const [body, field, message] of cases) {
        const res = await patchSettings(api, body);
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body.errors[field][0], JSON.stringify(body)).toContain(message);
      }
      const unknown = await patchSettings(api, { flaky_window: 10, flaky_days: 3 });
      expect(unknown.status).toBe(422);
      expect(unknown.body.message).toMatch(/additional properties/i);
      expect((await api.get("/x/projects/1/insight-settings")).body.result).toEqual({
        flaky_window: 30,
        flaky_threshold_percent: 10,
        flaky_min_results: 5,
      });
    });

    it("needs the manage-project permission", async () => {
      const denied = await patchSettings(tester, { flaky_window: 10 });
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe(
        "Your role in project 1 does not allow you to change the project's insight settings. Ask a project manager for a role that does.",
      );
      expect((await patchSettings(reader, { flaky_window: 10 })).status).toBe(403);
      expect((await patchSettings(outsider, { flaky_window: 10 })).status).toBe(403);
      expect((await patchSettings(api, { flaky_window: 10 }, 999)).status).toBe(404);
      expect((await api.get("/x/projects/1/insight-settings")).body.result.flaky_window).toBe(30);
    });
  });
});
