import { NamedExpand, Page, Row, Run, StateExpand } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, type WithCounters } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

const RunPage = Page(Run);
const RunRow = Row(Run);

describe.each(BACKENDS)("manual runs on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let projectId: number;
  let runs: WithCounters<Run>[];

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    const out = await runServerCommand(server, ["demo"]);
    projectId = Number(/id (\d+)/.exec(out)![1]);
    runs = (await api.get(`/projects/${projectId}/runs`)).body.result;
  }, 60_000);
  afterAll(() => server?.stop());

  it("lists runs with every expand, valid against the shared schema", async () => {
    const res = await api.get(`/projects/${projectId}/runs?expands=configs,issues,milestones,states,statuses,users`);
    expect(res.status).toBe(200);
    expect(Value.Check(RunPage, res.body)).toBe(true);
    expect(res.body.total).toBe(6);
    const { expands } = res.body;
    for (const name of ["configs", "milestones", "users"]) {
      expect(expands[name].length).toBeGreaterThan(0);
      for (const item of expands[name]) expect(Value.Check(NamedExpand, item)).toBe(true);
    }
    for (const state of expands.states) expect(Value.Check(StateExpand, state)).toBe(true);
    expect(expands.issues.length).toBeGreaterThan(0);
  });

  it("keeps the counters in step with the latest result of every test", async () => {
    for (const run of runs) {
      const latest = await api.get(`/runs/${run.id}/results?get_latest_result=true`);
      const tested = latest.body.total;
      expect(run.untested_count + tested).toBe(run.total_count);
      const passed = latest.body.result.filter((r: { status_id: number }) => r.status_id === 2).length;
      expect(run.status1_count).toBe(passed);
      expect(run.success_count).toBe(passed);
      expect(run.is_started).toBe(tested > 0);
    }
  });

  it("applies every filter", async () => {
    const base = `/projects/${projectId}/runs`;
    const closed = await api.get(`${base}?is_closed=true`);
    expect(closed.body.total).toBe(3);
    expect(closed.body.result.every((r: Run) => r.is_closed && r.closed_at && r.closed_by)).toBe(true);
    expect((await api.get(`${base}?is_closed=0`)).body.total).toBe(3);
    const withMilestone = runs.find((r) => r.milestone_id !== null)!;
    const byMilestone = await api.get(`${base}?milestone_id=${withMilestone.milestone_id}`);
    expect(byMilestone.body.result.every((r: Run) => r.milestone_id === withMilestone.milestone_id)).toBe(true);
    const withConfig = runs.find((r) => r.config_id !== null)!;
    const byConfig = await api.get(`${base}?config_id=${withConfig.config_id},99999`);
    expect(byConfig.body.total).toBe(runs.filter((r) => r.config_id === withConfig.config_id).length);
    expect((await api.get(`${base}?state_id=${runs[0]!.state_id}`)).body.total).toBe(6);
    expect((await api.get(`${base}?state_id=99999`)).body.total).toBe(0);
    expect((await api.get(`${base}?tags=regression`)).body.total).toBe(1);
    expect((await api.get(`${base}?tags=regression,acceptance`)).body.total).toBe(6);
    expect((await api.get(`${base}?created_by=${runs[0]!.created_by}`)).body.total).toBe(6);
    const cut = runs[2]!.created_at;
    const after = await api.get(`${base}?created_after=${encodeURIComponent(cut)}`);
    expect(after.body.result.every((r: Run) => r.created_at >= cut)).toBe(true);
    const closedWindow = await api.get(
      `${base}?closed_after=2000-01-01T00:00:00Z&closed_before=2999-01-01T00:00:00.000Z`,
    );
    expect(closedWindow.body.total).toBe(3);
  });

  it("sorts by closed_at (open runs last) and pages with the envelope", async () => {
    const sorted = await api.get(`/projects/${projectId}/runs?sort=runs:closed_at&order=desc`);
    const closedAt = sorted.body.result.map((r: Run) => r.closed_at);
    expect(closedAt.slice(3)).toEqual([null, null, null]);
    expect(closedAt.slice(0, 3)).toEqual([...closedAt.slice(0, 3)].sort().reverse());
    const asc = await api.get(`/projects/${projectId}/runs?order=asc&per_page=15`);
    expect(asc.body.result.map((r: Run) => r.id)).toEqual(runs.map((r) => r.id).reverse());
  });

  it("GET /runs/{id} returns the row envelope; 404, 422, 401, 403 otherwise", async () => {
    const one = await api.get(`/runs/${runs[0]!.id}?expands=states,statuses`);
    expect(one.status).toBe(200);
    expect(Value.Check(RunRow, one.body)).toBe(true);
    expect(one.body.result).toEqual(runs[0]);
    expect(one.body.expands.states).toHaveLength(1);
    expect((await api.get("/runs/99999")).status).toBe(404);
    const badExpand = await api.get(`/runs/${runs[0]!.id}?expands=templates`);
    expect(badExpand.status).toBe(422);
    expect(badExpand.body.errors.expands[0]).toContain("configs, issues, milestones, states, statuses, users");
    expect((await api.get(`/projects/${projectId}/runs?sort=runs:name`)).status).toBe(422);
    expect((await api.get(`/projects/${projectId}/runs?per_page=500`)).status).toBe(422);
    expect((await api.get(`/projects/${projectId}/runs?is_closed=maybe`)).status).toBe(422);
    expect((await api.get("/projects/99999/runs")).status).toBe(404);
    expect((await api.get(`/runs/${runs[0]!.id}`, { token: null })).status).toBe(401);
    const token = await createUserWithToken(server, "outsider-runs@example.com", "tester");
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      String(projectId),
      "--email",
      "outsider-runs@example.com",
      "--role",
      "none",
    ]);
    const outsider = api.withToken(token);
    expect((await outsider.get(`/projects/${projectId}/runs`)).status).toBe(403);
    expect((await outsider.get(`/runs/${runs[0]!.id}`)).status).toBe(403);
  });
});
