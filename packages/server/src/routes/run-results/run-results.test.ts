import { Page, RunResult } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

const ResultPage = Page(RunResult);

describe.each(BACKENDS)("run results on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let projectId: number;
  let runId: number;
  let all: RunResult[];

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    const out = await runServerCommand(server, ["demo"]);
    projectId = Number(/id (\d+)/.exec(out)![1]);
    const runs = (await api.get(`/projects/${projectId}/runs?order=asc`)).body.result;
    runId = runs[0].id;
    all = (await api.get(`/runs/${runId}/results`)).body.result;
  }, 60_000);
  afterAll(() => server?.stop());

  it("lists a run's results with expands, valid against the shared schema", async () => {
    const res = await api.get(`/runs/${runId}/results?expands=issues,users,statuses`);
    expect(res.status).toBe(200);
    expect(Value.Check(ResultPage, res.body)).toBe(true);
    expect(res.body.total).toBeGreaterThan(0);
    expect(res.body.expands.users.length).toBeGreaterThan(1);
    expect(res.body.expands.statuses.map((s: { id: number }) => s.id)).toContain(2);
    const withIssue = res.body.result.filter((r: RunResult) => r.issues.length > 0);
    if (withIssue.length > 0) expect(res.body.expands.issues.length).toBeGreaterThan(0);
    expect(all.every((r) => r.run_id === runId && r.project_id === projectId && r.elapsed > 0)).toBe(true);
  });

  it("get_latest_result keeps one result per test; false/0 keep them all", async () => {
    const latest = (await api.get(`/runs/${runId}/results?get_latest_result=1`)).body.result as RunResult[];
    expect(latest.every((r) => r.is_latest)).toBe(true);
    expect(new Set(latest.map((r) => r.test_id)).size).toBe(latest.length);
    expect(new Set(all.map((r) => r.test_id)).size).toBe(latest.length);
    expect((await api.get(`/runs/${runId}/results?get_latest_result=false`)).body.total).toBe(all.length);
    expect((await api.get(`/runs/${runId}/results?get_latest_result=0`)).body.total).toBe(all.length);
    expect(all.length).toBeGreaterThan(latest.length); // the demo retests some failures
  });

  it("filters by status, assignee (0 = unassigned), author and time", async () => {
    const base = `/runs/${runId}/results`;
    const failed = await api.get(`${base}?status_id=3,5`);
    expect(failed.body.total).toBe(all.filter((r) => r.status_id === 3 || r.status_id === 5).length);
    const unassigned = await api.get(`${base}?assignee_id=0`);
    expect(unassigned.body.total).toBe(all.filter((r) => r.assignee_id === null).length);
    const someone = all.find((r) => r.assignee_id !== null)!.assignee_id!;
    const mixed = await api.get(`${base}?assignee_id=0,${someone}`);
    expect(mixed.body.total).toBe(all.filter((r) => r.assignee_id === null || r.assignee_id === someone).length);
    const author = all[0]!.created_by;
    expect((await api.get(`${base}?created_by=${author}`)).body.total).toBe(
      all.filter((r) => r.created_by === author).length,
    );
    const cut = all[Math.floor(all.length / 2)]!.created_at;
    const after = (await api.get(`${base}?created_after=${encodeURIComponent(cut)}`)).body.result as RunResult[];
    expect(after.every((r) => r.created_at >= cut)).toBe(true);
    const before = (await api.get(`${base}?created_before=${encodeURIComponent(cut)}`)).body.result as RunResult[];
    expect(before.every((r) => r.created_at <= cut)).toBe(true);
  });

  it("orders by created_at, newest first by default, and pages", async () => {
    const created = all.map((r) => r.created_at);
    expect([...created].sort().reverse()).toEqual(created);
    const asc = (await api.get(`/runs/${runId}/results?sort=run_results:created_at&order=asc`)).body.result;
    expect(asc.map((r: RunResult) => r.id)).toEqual(all.map((r) => r.id).reverse());
    const page = await api.get(`/runs/${runId}/results?per_page=15&page=2`);
    expect(page.body).toMatchObject({ page: 2, prev_page: 1, per_page: 15, total: all.length });
  });

  it("answers 404, 422, 401 and 403 as the spec says", async () => {
    expect((await api.get("/runs/99999/results")).status).toBe(404);
    const badSort = await api.get(`/runs/${runId}/results?sort=run_results:status_id`);
    expect(badSort.status).toBe(422);
    expect(badSort.body.errors.sort[0]).toContain("run_results:created_at");
    const badExpand = await api.get(`/runs/${runId}/results?expands=milestones`);
    expect(badExpand.status).toBe(422);
    expect(badExpand.body.errors.expands[0]).toContain("issues, users, statuses");
    expect((await api.get(`/runs/${runId}/results?status_id=passed`)).status).toBe(422);
    expect((await api.get(`/runs/${runId}/results?per_page=10`)).status).toBe(422);
    expect((await api.get(`/runs/${runId}/results`, { token: null })).status).toBe(401);
    const token = await createUserWithToken(server, "outsider-results@example.com", "tester");
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      String(projectId),
      "--email",
      "outsider-results@example.com",
      "--role",
      "none",
    ]);
    expect((await api.withToken(token).get(`/runs/${runId}/results`)).status).toBe(403);
  });
});
