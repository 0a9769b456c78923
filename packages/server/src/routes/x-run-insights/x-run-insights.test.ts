import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createOutsiderToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

interface T {
  key: string;
  status: string;
  elapsed?: number;
}

describe.each(BACKENDS)("run comparison on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let otherProject: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    otherProject = Number((await runServerCommand(server, ["project", "create", "--name", "Other"])).trim());
  });
  afterAll(() => server?.stop());

  /** A run with its tests in one thread, one append per list (retries in a later list); completed unless `open`. */
  async function submit(options: {
    source: string;
    name?: string;
    branch?: string;
    commit?: string;
    config?: string;
    appends: T[][];
    open?: boolean;
    project?: number;
  }): Promise<number> {
    const fields = [];
    if (options.branch) fields.push({ type: 1, name: "Branch", value: options.branch });
    if (options.commit) fields.push({ type: 1, name: "Commit", value: options.commit });
    const created = await api.post(`/projects/${options.project ?? 1}/automation/runs`, {
      name: options.name ?? `${options.source} run`,
      source: options.source,
      fields,
      ...(options.config ? { config: options.config } : {}),
    });
    expect(created.status).toBe(201);
    const runId = created.body.id as number;
    const thread = await api.post(`/automation/runs/${runId}/threads`, {});
    expect(thread.status).toBe(201);
    for (const tests of options.appends) {
      const res = await api.post(`/automation/runs/threads/${thread.body.id}/append`, {
        tests: tests.map((t) => ({
          key: t.key,
          name: `test ${t.key}`,
          folder: "suite",
          status: t.status,
          elapsed: t.elapsed ?? 1000,
        })),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(204);
    }
    if (!options.open) expect((await api.post(`/automation/runs/${runId}/complete`, {})).status).toBe(204);
    return runId;
  }

  const compare = (runId: number, query = "") => api.get(`/x/automation/runs/${runId}/comparison${query}`);
  const keys = (tests: { name: string }[]) => tests.map((t) => t.name.replace("test ", ""));

  let run1: number;
  let feature: number;
  let run2: number;

  it("compares a run with the previous completed run of its branch: every category and count", async () => {
    run1 = await submit({
      source: "cmp",
      name: "main 1",
      branch: "main",
      commit: "1111111111111111111111111111111111111111",
      appends: [
        [
          { key: "a", status: "passed", elapsed: 200_000 },
          { key: "b", status: "passed" },
          { key: "c", status: "failure" },
          { key: "d", status: "passed" },
          { key: "e", status: "passed", elapsed: 200_000 },
          { key: "f", status: "failure" },
        ],
      ],
    });
    // A later run of another branch (all failing) must not be chosen as the baseline of a main run.
    feature = await submit({
      source: "cmp",
      name: "feature 1",
      branch: "feature/x",
      commit: "2222222222222222222222222222222222222222",
      appends: [["a", "b", "c", "d", "e", "f"].map((key) => ({ key, status: "failure" }))],
    });
    run2 = await submit({
      source: "cmp",
      name: "main 2",
      branch: "main",
      commit: "3333333333333333333333333333333333333333",
      open: true,
      appends: [
        [
          { key: "a", status: "failure", elapsed: 200_000 },
          { key: "b", status: "failure" },
          { key: "c", status: "passed" },
          { key: "e", status: "passed", elapsed: 500_000 },
          { key: "f", status: "failure" },
          { key: "g", status: "failure" },
          { key: "h", status: "passed" },
        ],
        // The retry of "a" passed: a test's last result in the run counts.
        [{ key: "a", status: "passed", elapsed: 210_000 }],
      ],
    });

    // Works on a run still open: it compares what has arrived.
    const open = await compare(run2);
    expect(open.status).toBe(200);
    expect(open.body.result.run).toMatchObject({ id: run2, is_completed: false });
    expect((await api.post(`/automation/runs/${run2}/complete`, {})).status).toBe(204);

    const { status, body } = await compare(run2);
    expect(status).toBe(200);
    const result = body.result;
    expect(result.baseline_rule).toBe("same_branch_and_config");
    expect(result.run).toMatchObject({
      id: run2,
      name: "main 2",
      branch: "main",
      commit_sha: "3333333333333333333333333333333333333333",
      config_id: null,
      is_completed: true,
    });
    expect(result.baseline).toMatchObject({ id: run1, name: "main 1", branch: "main", is_completed: true });
    expect(result.counts).toEqual({
      new_failures: 2,
      still_failing: 1,
      fixed: 1,
      new_tests: 2,
      gone_tests: 1,
      slower: 1,
    });
    expect(keys(result.tests.new_failures)).toEqual(["b", "g"]);
    expect(keys(result.tests.still_failing)).toEqual(["f"]);
    expect(keys(result.tests.fixed)).toEqual(["c"]);
    expect(keys(result.tests.new_tests)).toEqual(["g", "h"]);
    expect(keys(result.tests.gone_tests)).toEqual(["d"]);
    expect(keys(result.tests.slower)).toEqual(["e"]);
    expect(result.failures).toEqual({ total: 3, quarantined: 0, unquarantined: 3 });
    expect(result.tests.slower[0]).toMatchObject({
      status_id: 2,
      baseline_status_id: 2,
      elapsed: 500_000,
      baseline_elapsed: 200_000,
      is_quarantined: false,
    });
    expect(result.tests.new_failures[1]).toMatchObject({ status_id: 3, baseline_status_id: null, folder: "suite" });
    expect(result.tests.gone_tests[0]).toMatchObject({ status_id: null, baseline_status_id: 2, elapsed: null });
    expect(result.tests.fixed[0]).toMatchObject({ status_id: 2, baseline_status_id: 3 });
    expect(open.body.result.counts).toEqual(result.counts);
  });

  it("limits the listed tests per category, never the counts", async () => {
    const { body } = await compare(run2, "?limit=1");
    expect(body.result.counts.new_failures).toBe(2);
    expect(keys(body.result.tests.new_failures)).toEqual(["b"]);
    expect(keys(body.result.tests.new_tests)).toEqual(["g"]);
    for (const bad of ["0", "1001", "x"]) {
      const res = await compare(run2, `?limit=${bad}`);
      expect(res.status, bad).toBe(422);
      expect(res.body.message).toContain("limit");
    }
  });

  it("rejects unknown or empty categories with 422 naming categories and the valid ones", async () => {
    const unknown = await compare(run2, "?categories=new_failures,broken,flaky");
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.categories).toEqual([
      'Unknown comparison categories "broken", "flaky": use new_failures, still_failing, fixed, new_tests, gone_tests, slower.',
    ]);
    const empty = await compare(run2, "?categories=,");
    expect(empty.status).toBe(422);
    expect(empty.body.errors.categories[0]).toContain("names nothing");
  });

  it("compares with the run asked for: baseline_id", async () => {
    const { status, body } = await compare(run2, `?baseline_id=${feature}`);
    expect(status).toBe(200);
    expect(body.result.baseline_rule).toBe("requested");
    expect(body.result.baseline).toMatchObject({ id: feature, branch: "feature/x" });
    // Every test failed in the feature run: b and f still fail, a, c and e are fixed, g and h are new, d is gone.
    expect(body.result.counts).toMatchObject({
      new_failures: 1,
      still_failing: 2,
      fixed: 3,
      new_tests: 2,
      gone_tests: 1,
      slower: 2,
    });
    expect(keys(body.result.tests.fixed)).toEqual(["a", "c", "e"]);
    // 500 ms against 1 ms grew more than 210 ms against 1 ms.
    expect(keys(body.result.tests.slower)).toEqual(["e", "a"]);
    expect(keys(body.result.tests.new_failures)).toEqual(["g"]);
  });

  it("rejects a baseline of another project, an unknown one and the run itself with 422 naming baseline_id", async () => {
    const foreign = await submit({ source: "cmp", project: otherProject, appends: [[{ key: "a", status: "passed" }]] });
    const other = await compare(run2, `?baseline_id=${foreign}`);
    expect(other.status).toBe(422);
    expect(other.body.errors.baseline_id[0]).toBe(
      `Automation run ${foreign} is not a run of project 1: the baseline must be a run of the same project.`,
    );
    const unknown = await compare(run2, "?baseline_id=999999");
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.baseline_id).toEqual(["Automation run 999999 does not exist."]);
    const self = await compare(run2, `?baseline_id=${run2}`);
    expect(self.status).toBe(422);
    expect(self.body.errors.baseline_id[0]).toContain("cannot be its own baseline");
    const malformed = await compare(run2, "?baseline_id=abc");
    expect(malformed.status).toBe(422);
  });

  it("falls back to the previous completed run of the source, then to no baseline", async () => {
    const release = await submit({
      source: "cmp",
      branch: "release",
      appends: [[{ key: "a", status: "passed" }]],
    });
    const { body } = await compare(release);
    expect(body.result.baseline_rule).toBe("same_source");
    expect(body.result.baseline.id).toBe(run2);
    expect(body.result.counts).toMatchObject({ gone_tests: 6, new_tests: 0 });

    const first = await submit({
      source: "fresh",
      branch: "main",
      appends: [
        [
          { key: "a", status: "passed" },
          { key: "b", status: "failure" },
          { key: "c", status: "skipped" },
        ],
      ],
    });
    const none = (await compare(first)).body.result;
    expect(none.baseline_rule).toBe("none");
    expect(none.baseline).toBeNull();
    expect(none.counts).toEqual({
      new_failures: 1,
      still_failing: 0,
      fixed: 0,
      new_tests: 3,
      gone_tests: 0,
      slower: 0,
    });
    expect(none.failures).toEqual({ total: 1, quarantined: 0, unquarantined: 1 });
  });

  it("matches the configuration: with a branch the same branch and configuration, without one the same configuration", async () => {
    const chrome = await submit({ source: "cfg", config: "chrome", appends: [[{ key: "a", status: "passed" }]] });
    await submit({ source: "cfg", config: "firefox", appends: [[{ key: "a", status: "failure" }]] });
    const chrome2 = await submit({ source: "cfg", config: "chrome", appends: [[{ key: "a", status: "passed" }]] });
    const byConfig = (await compare(chrome2)).body.result;
    expect(byConfig).toMatchObject({ baseline_rule: "same_branch_and_config", baseline: { id: chrome } });

    const mainChrome = await submit({
      source: "cfg",
      branch: "main",
      config: "chrome",
      appends: [[{ key: "a", status: "passed" }]],
    });
    await submit({ source: "cfg", branch: "main", appends: [[{ key: "a", status: "passed" }]] });
    const mainChrome2 = await submit({
      source: "cfg",
      branch: "main",
      config: "chrome",
      appends: [[{ key: "a", status: "passed" }]],
    });
    const both = (await compare(mainChrome2)).body.result;
    expect(both).toMatchObject({ baseline_rule: "same_branch_and_config", baseline: { id: mainChrome } });
  });

  it("skips open runs when choosing the baseline", async () => {
    const open = await submit({
      source: "cmp",
      branch: "main",
      open: true,
      appends: [[{ key: "a", status: "failure" }]],
    });
    const later = await submit({ source: "cmp", branch: "main", appends: [[{ key: "a", status: "passed" }]] });
    const { body } = await compare(later);
    expect(body.result.baseline.id).toBe(run2);
    expect(body.result.baseline.id).not.toBe(open);
  });

  it("splits the run's failures by quarantine", async () => {
    const f = (await compare(run2)).body.result.tests.still_failing[0];
    const put = await api.request("PUT", `/x/automation/cases/${f.automation_case_id}/quarantine`, {
      body: { reason: "known broken, ticket QA-1" },
    });
    expect([200, 204], JSON.stringify(put.body)).toContain(put.status);
    const { body } = await compare(run2);
    expect(body.result.failures).toEqual({ total: 3, quarantined: 1, unquarantined: 2 });
    expect(body.result.tests.still_failing[0].is_quarantined).toBe(true);
    expect(body.result.tests.new_failures.every((t: { is_quarantined: boolean }) => !t.is_quarantined)).toBe(true);
    // A quarantine that expires later still counts; lifting it counts the failure again.
    const later = await api.request("PUT", `/x/automation/cases/${f.automation_case_id}/quarantine`, {
      body: { reason: "until next week", expires_at: "2100-01-01T00:00:00.000Z" },
    });
    expect(later.status).toBeLessThan(300);
    expect((await compare(run2)).body.result.failures.quarantined).toBe(1);
    const lifted = await api.request("DELETE", `/x/automation/cases/${f.automation_case_id}/quarantine`);
    expect(lifted.status).toBeLessThan(300);
    expect((await compare(run2)).body.result.failures).toEqual({ total: 3, quarantined: 0, unquarantined: 3 });
  });

  it("404 for an unknown run, 403 without access to its project", async () => {
    const missing = await compare(999999);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Automation run 999999 does not exist.");
    const token = await createOutsiderToken(server);
    const outsider = api.withToken(token);
    const denied = await outsider.get(`/x/automation/runs/${run2}/comparison`);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/Ask/);
    expect((await outsider.get(`/x/automation/runs/${run2}/failure-groups`)).status).toBe(403);
    expect((await api.get("/x/automation/runs/999999/failure-groups")).status).toBe(404);
  });
});
