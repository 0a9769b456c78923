import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createOutsiderToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

/** The failure field Testmo's CLI sends for a JUnit `<failure>`: the numbers vary from run to run. */
function assertionFailure(expected: number, got: number) {
  const message = `expected ${expected} but got ${got}`;
  return {
    type: 4,
    name: "Failure",
    value: `${message}\n at com.acme.FooTest.bar(FooTest.java:42)`,
    meta: { message, type: "java.lang.AssertionError" },
    is_highlight: true,
  };
}

const NPE = {
  type: 4,
  name: "Error",
  value: 'Cannot invoke "String.length()" because "s" is null\n at com.acme.BarTest.baz(BarTest.java:10)',
  meta: { message: 'Cannot invoke "String.length()" because "s" is null', type: "java.lang.NullPointerException" },
  is_highlight: true,
};

interface T {
  key: string;
  status: string;
  fields?: unknown[];
}

describe.each(BACKENDS)("failure groups on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let otherProject: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    otherProject = Number((await runServerCommand(server, ["project", "create", "--name", "Other"])).trim());
  });
  afterAll(() => server?.stop());

  async function submit(name: string, tests: T[], project = 1): Promise<number> {
    const created = await api.post(`/projects/${project}/automation/runs`, { name, source: "groups" });
    expect(created.status).toBe(201);
    const thread = await api.post(`/automation/runs/${created.body.id}/threads`, {});
    const append = await api.post(`/automation/runs/threads/${thread.body.id}/append`, {
      tests: tests.map((t) => ({
        key: t.key,
        name: `test ${t.key}`,
        folder: "suite",
        status: t.status,
        fields: t.fields,
      })),
    });
    expect(append.status, JSON.stringify(append.body)).toBe(204);
    expect((await api.post(`/automation/runs/${created.body.id}/complete`, {})).status).toBe(204);
    return created.body.id;
  }

  let runA: number;
  let runB: number;
  let assertion: number;
  let npe: number;

  it("groups failures whose messages differ only in numbers, across runs; new only in the first run", async () => {
    runA = await submit("A", [
      { key: "f1", status: "failure", fields: [assertionFailure(3, 4)] },
      { key: "f2", status: "failure", fields: [assertionFailure(5, 7)] },
      { key: "f3", status: "error", fields: [NPE] },
      { key: "p1", status: "passed" },
    ]);
    runB = await submit("B", [
      { key: "f1", status: "failure", fields: [assertionFailure(9, 10)] },
      { key: "f3", status: "passed" },
      { key: "f4", status: "failure", fields: [assertionFailure(3, 5)] },
    ]);

    const inA = await api.get(`/x/automation/runs/${runA}/failure-groups`);
    expect(inA.status).toBe(200);
    expect(inA.body).toMatchObject({ total: 2, page: 1, last_page: 1, per_page: 100 });
    expect(inA.body.result.map((g: { run_occurrence_count: number }) => g.run_occurrence_count)).toEqual([2, 1]);
    const [a1, a2] = inA.body.result;
    assertion = a1.id;
    npe = a2.id;
    expect(a1).toMatchObject({ is_new: true, type: "java.lang.AssertionError", sample: "expected 3 but got 4" });
    expect(a2).toMatchObject({ is_new: true, type: "java.lang.NullPointerException", run_occurrence_count: 1 });
    // The stored message is normalised: the numbers of the first failure are gone.
    expect(a1.message).not.toContain("3 but got 4");
    expect(a1.message).toContain("expected");
    expect(Array.isArray(a1.frames)).toBe(true);

    const inB = await api.get(`/x/automation/runs/${runB}/failure-groups`);
    expect(inB.body.total).toBe(1);
    expect(inB.body.result[0]).toMatchObject({ id: assertion, is_new: false, run_occurrence_count: 2 });

    const group = inB.body.result[0];
    expect(group).toMatchObject({
      project_id: 1,
      occurrence_count: 4,
      test_count: 3,
      run_count: 2,
      first_run_id: runA,
      last_run_id: runB,
    });
    expect(group.first_seen_at <= group.last_seen_at).toBe(true);
  });

  it("shows one group with its tests (most occurrences first) and newest runs", async () => {
    const { status, body } = await api.get(`/x/failure-groups/${assertion}`);
    expect(status).toBe(200);
    const group = body.result;
    expect(group).toMatchObject({ id: assertion, occurrence_count: 4, test_count: 3, run_count: 2 });
    expect(group.tests.map((t: { name: string; occurrence_count: number }) => [t.name, t.occurrence_count])).toEqual([
      ["test f1", 2],
      ["test f2", 1],
      ["test f4", 1],
    ]);
    expect(group.tests[0]).toMatchObject({ folder: "suite" });
    expect(group.tests[0].automation_case_id).toBeGreaterThan(0);
    expect(group.recent_runs.map((r: { run_id: number; name: string; occurrence_count: number }) => r)).toMatchObject([
      { run_id: runB, name: "B", occurrence_count: 2 },
      { run_id: runA, name: "A", occurrence_count: 2 },
    ]);
    const single = await api.get(`/x/failure-groups/${npe}`);
    expect(single.body.result).toMatchObject({ occurrence_count: 1, test_count: 1, run_count: 1, last_run_id: runA });
  });

  it("lists a project's groups with sorts, since and pages; groups are per project", async () => {
    const other = await submit(
      "elsewhere",
      [{ key: "f1", status: "failure", fields: [assertionFailure(1, 2)] }],
      otherProject,
    );
    const otherGroups = await api.get(`/x/automation/runs/${other}/failure-groups`);
    expect(otherGroups.body.result[0]).toMatchObject({ project_id: otherProject, is_new: true, occurrence_count: 1 });
    expect(otherGroups.body.result[0].id).not.toBe(assertion);

    const ids = (res: { body: { result: { id: number }[] } }) => res.body.result.map((g) => g.id);
    const list = await api.get("/x/projects/1/failure-groups");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 2, page: 1 });
    // Last seen first: the assertion group was seen in run B.
    expect(ids(list)).toEqual([assertion, npe]);
    expect(ids(await api.get("/x/projects/1/failure-groups?sort=failure_groups:occurrence_count&order=asc"))).toEqual([
      npe,
      assertion,
    ]);
    expect(ids(await api.get("/x/projects/1/failure-groups?sort=failure_groups:test_count"))).toEqual([assertion, npe]);
    expect(ids(await api.get("/x/projects/1/failure-groups?sort=failure_groups:run_count&order=desc"))).toEqual([
      assertion,
      npe,
    ]);
    const byFirstSeen = ids(await api.get("/x/projects/1/failure-groups?sort=failure_groups:first_seen_at&order=asc"));
    expect(byFirstSeen.sort()).toEqual([assertion, npe].sort());

    const npeGroup = (await api.get(`/x/failure-groups/${npe}`)).body.result;
    const since = await api.get(`/x/projects/1/failure-groups?since=${encodeURIComponent(npeGroup.last_seen_at)}`);
    expect(ids(since)).toContain(npe);
    const future = await api.get("/x/projects/1/failure-groups?since=2100-01-01T00:00:00Z");
    expect(future.body).toMatchObject({ total: 0, page: null, result: [] });

    const paged = await api.get("/x/projects/1/failure-groups?per_page=15&page=2");
    expect(paged.body).toMatchObject({ total: 2, page: 2, last_page: 1, result: [] });
    expect((await api.get("/x/projects/1/failure-groups?per_page=7")).status).toBe(422);
    expect((await api.get("/x/projects/1/failure-groups?since=yesterday")).status).toBe(422);
    const badSort = await api.get("/x/projects/1/failure-groups?sort=failure_groups:name");
    expect(badSort.status).toBe(422);
    expect(badSort.body.message).toContain("sort");
  });

  it("404 for unknown groups, runs and projects; 403 without access", async () => {
    const missing = await api.get("/x/failure-groups/999999");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Failure group 999999 does not exist.");
    const noProject = await api.get("/x/projects/999/failure-groups");
    expect(noProject.status).toBe(404);
    expect(noProject.body.message).toBe("Project 999 does not exist.");
    expect((await api.get("/x/automation/runs/999999/failure-groups")).status).toBe(404);

    const token = await createOutsiderToken(server);
    const outsider = api.withToken(token);
    for (const path of [
      `/x/failure-groups/${assertion}`,
      "/x/projects/1/failure-groups",
      `/x/automation/runs/${runA}/failure-groups`,
    ]) {
      const res = await outsider.get(path);
      expect(res.status, path).toBe(403);
      expect(res.body.message).toContain("Ask");
      expect(JSON.stringify(res.body)).not.toContain("expected");
    }
  });
});
