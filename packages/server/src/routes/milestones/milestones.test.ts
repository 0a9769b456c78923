import { Milestone, MilestoneStatsExpand, MilestoneTypeExpand, Page, Row } from "@assay/api";
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

const MilestonePage = Page(Milestone);
const MilestoneRow = Row(Milestone);

describe.each(BACKENDS)("milestones on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let projectId: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    const out = await runServerCommand(server, ["demo"]);
    projectId = Number(/id (\d+)/.exec(out)![1]);
  }, 60_000);
  afterAll(() => server?.stop());

  it("lists the demo's milestones with every expand, valid against the shared schema", async () => {
    const res = await api.get(
      `/projects/${projectId}/milestones?expands=issues,milestone_stats,milestone_types,milestones,statuses,users`,
    );
    expect(res.status).toBe(200);
    expect(Value.Check(MilestonePage, res.body)).toBe(true);
    expect(res.body.total).toBe(4);
    const { expands } = res.body;
    expect(expands.milestone_stats).toHaveLength(4);
    for (const stats of expands.milestone_stats) expect(Value.Check(MilestoneStatsExpand, stats)).toBe(true);
    for (const type of expands.milestone_types) expect(Value.Check(MilestoneTypeExpand, type)).toBe(true);
    expect(expands.issues.length).toBeGreaterThan(0);
    expect(expands.issues[0]).toMatchObject({ type: 2, external_project_key: "webshop" });
    expect(expands.statuses.length).toBeGreaterThanOrEqual(6);
    expect(expands.users.length).toBeGreaterThan(0);
    const release = res.body.result.find((m: { name: string }) => m.name === "Release 2.0");
    expect(release.links[0]).toEqual({
      name: "Release plan",
      note: "Scope and dates",
      url: "https://example.com/plans/2.0",
    });
    // Newest first by default.
    const created = res.body.result.map((m: { created_at: string }) => m.created_at);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it("counts manual runs, sessions and automation runs in milestone_stats", async () => {
    const list = await api.get(`/projects/${projectId}/milestones?expands=milestone_stats`);
    const sprint = list.body.result.find((m: { name: string }) => m.name === "Sprint 14");
    const stats = list.body.expands.milestone_stats.find((s: { id: number }) => s.id === sprint.id);
    expect(stats.total_count).toBeGreaterThan(0);
    expect(stats.success_count).toBeGreaterThan(0);
  });

  it("matches automation tags whole and literally: _ and % are no wildcards, case is ignored", async () => {
    const project = (await runServerCommand(server, ["project", "create", "--name", "Tags"])).trim();
    const milestone = (name: string, tags: string) =>
      runServerCommand(server, [
        "milestone",
        "create",
        "--project",
        project,
        "--name",
        name,
        "--automation-tags",
        tags,
      ]);
    await milestone("underscore", "qa_smoke");
    await milestone("look-alike", "qaxsmoke,qa-smoke-2");
    const names = async (tags: string) =>
      (await api.get(`/projects/${project}/milestones?automation_tags=${encodeURIComponent(tags)}`)).body.result
        .map((m: Milestone) => m.name)
        .sort();
    expect(await names("qa_smoke")).toEqual(["underscore"]);
    expect(await names("QA_SMOKE")).toEqual(["underscore"]);
    expect(await names("qa%")).toEqual([]);
    expect(await names("qa-smoke")).toEqual([]);
    expect(await names("qaxsmoke,qa_smoke")).toEqual(["look-alike", "underscore"]);
  });

  it("applies every filter", async () => {
    const base = `/projects/${projectId}/milestones`;
    const completed = await api.get(`${base}?is_completed=1`);
    expect(completed.body.total).toBe(2);
    expect(completed.body.result.every((m: Milestone) => m.is_completed)).toBe(true);
    expect((await api.get(`${base}?is_completed=false`)).body.total).toBe(2);
    const tagged = await api.get(`${base}?automation_tags=nightly,release-1.9`);
    expect(tagged.body.result.map((m: Milestone) => m.name).sort()).toEqual(["Release 1.9", "Sprint 15"]);
    const all = (await api.get(base)).body.result as Milestone[];
    const release = all.find((m) => m.name === "Release 2.0")!;
    expect((await api.get(`${base}?parent_id=${release.id}`)).body.total).toBe(2);
    expect((await api.get(`${base}?root_id=${release.id}`)).body.total).toBe(2);
    expect((await api.get(`${base}?type_id=${release.type_id}`)).body.total).toBe(2);
    expect((await api.get(`${base}?created_by=${release.created_by}`)).body.total).toBe(4);
    expect((await api.get(`${base}?created_by=999`)).body.total).toBe(0);
    const cut = release.created_at;
    const after = await api.get(`${base}?created_after=${encodeURIComponent(cut)}`);
    expect(after.body.result.every((m: Milestone) => m.created_at >= cut)).toBe(true);
    const before = await api.get(`${base}?created_before=${encodeURIComponent(cut)}`);
    expect(after.body.total + before.body.total).toBe(5); // the cut milestone is in both windows
    const doneAfter = await api.get(
      `${base}?completed_after=2000-01-01T00:00:00.000Z&completed_before=2999-01-01T00:00:00Z`,
    );
    expect(doneAfter.body.total).toBe(2);
  });

  it("sorts by completed_at with open milestones last, and pages", async () => {
    const res = await api.get(`/projects/${projectId}/milestones?sort=milestones:completed_at&order=asc&per_page=15`);
    const completedAt = res.body.result.map((m: Milestone) => m.completed_at);
    expect(completedAt.slice(2)).toEqual([null, null]);
    expect(completedAt[0] < completedAt[1]).toBe(true);
    const pastEnd = await api.get(`/projects/${projectId}/milestones?page=3&per_page=15`);
    expect(pastEnd.body).toMatchObject({ total: 4, last_page: 1, result: [] });
  });

  it("GET /milestones/{id} returns the row envelope; 404 and 422 otherwise", async () => {
    const list = await api.get(`/projects/${projectId}/milestones`);
    const id = list.body.result[0].id;
    const one = await api.get(`/milestones/${id}?expands=milestone_stats,users`);
    expect(one.status).toBe(200);
    expect(Value.Check(MilestoneRow, one.body)).toBe(true);
    expect(one.body.expands.milestone_stats[0].id).toBe(id);
    const missing = await api.get("/milestones/99999");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("99999");
    const badExpand = await api.get(`/milestones/${id}?expands=runs`);
    expect(badExpand.status).toBe(422);
    expect(badExpand.body.errors.expands[0]).toContain("milestone_stats");
    const badSort = await api.get(`/projects/${projectId}/milestones?sort=milestones:name`);
    expect(badSort.status).toBe(422);
    expect(badSort.body.errors.sort[0]).toContain("milestones:created_at");
    expect((await api.get(`/projects/${projectId}/milestones?per_page=20`)).status).toBe(422);
    expect((await api.get("/projects/99999/milestones")).status).toBe(404);
    expect((await api.get(`/projects/${projectId}/milestones`, { token: null })).status).toBe(401);
  });

  it("hides another project's milestones: 403 without access", async () => {
    const token = await createUserWithToken(server, "outsider-milestones@example.com", "tester");
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      String(projectId),
      "--email",
      "outsider-milestones@example.com",
      "--role",
      "none",
    ]);
    const outsider = api.withToken(token);
    expect((await outsider.get(`/projects/${projectId}/milestones`)).status).toBe(403);
    const list = await api.get(`/projects/${projectId}/milestones`);
    expect((await outsider.get(`/milestones/${list.body.result[0].id}`)).status).toBe(403);
  });
});
