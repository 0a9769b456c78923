import { MilestoneProgressResult } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, makeTests } from "../../test-support/http.js";
import {
  createOutsiderToken,
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

describe.each(BACKENDS)("milestones (/x) on %s", (backend) => {
  let server: TestServer;
  let admin: ApiClient;
  let manager: ApiClient;
  let tester: ApiClient;
  let reader: ApiClient;
  let outsider: ApiClient;
  let projectId: number;

  /** A completed automation run as Testmo's CLI submits it: create, one thread, append, complete. */
  async function automationRun(name: string, tags: string[], statuses: string[]) {
    const run = await tester.post(`/projects/${projectId}/automation/runs`, { name, source: "backend", tags });
    expect(run.status).toBe(201);
    const thread = await tester.post(`/automation/runs/${run.body.id}/threads`, {});
    const tests = makeTests(statuses.length, { prefix: name, statuses });
    await tester.post(`/automation/runs/threads/${thread.body.id}/append`, { tests });
    await tester.post(`/automation/runs/threads/${thread.body.id}/complete`, {});
    await tester.post(`/automation/runs/${run.body.id}/complete`, {});
    return run.body.id as number;
  }

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    admin = new ApiClient(server.url, server.token);
    projectId = Number((await runServerCommand(server, ["project", "create", "--name", "Milestones"])).trim());
    manager = admin.withToken(await createUserWithToken(server, "pm@example.com", "project-manager"));
    tester = admin.withToken(await createUserWithToken(server, "tester@example.com", "tester"));
    reader = admin.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    outsider = admin.withToken(await createOutsiderToken(server, "outsider@example.com", projectId));
  }, 90_000);
  afterAll(() => server?.stop());

  it("creates a milestone that Testmo's read returns", async () => {
    const res = await manager.post(`/x/projects/${projectId}/milestones`, {
      name: "Release 2",
      note: "<b>not html</b>",
      start_date: "2026-12-01",
      due_date: "2026-12-24",
      automation_tags: ["release-2", "release-2", "nightly"],
    });
    expect(res.status).toBe(201);
    expect(res.body.result).toMatchObject({
      name: "Release 2",
      note: "<b>not html</b>",
      due_date: "2026-12-24",
      automation_tags: ["release-2", "nightly"],
      is_completed: false,
    });
    const read = await reader.get(`/milestones/${res.body.result.id}`);
    expect(read.body.result.automation_tags).toEqual(["release-2", "nightly"]);
  });

  it("refuses impossible dates and names with field errors", async () => {
    const path = `/x/projects/${projectId}/milestones`;
    const day = await manager.post(path, { name: "x", due_date: "2026-02-30" });
    expect(day.status).toBe(422);
    expect(day.body.errors.due_date[0]).toMatch(/calendar day/);
    const order = await manager.post(path, { name: "x", start_date: "2026-12-24", due_date: "2026-12-01" });
    expect(order.body.errors.due_date[0]).toMatch(/on or after/);
    expect((await manager.post(path, { name: "" })).status).toBe(422);
    expect((await manager.post(path, { name: "x", due_date: "24.12.2026" })).status).toBe(422);
    const names = (await reader.get(`/projects/${projectId}/milestones`)).body.result.map(
      (m: { name: string }) => m.name,
    );
    expect(names).not.toContain("x");
  });

  it("edits, completes and reopens a milestone", async () => {
    const created = await manager.post(`/x/projects/${projectId}/milestones`, { name: "Sprint 7" });
    const path = `/x/milestones/${created.body.result.id}`;
    const edited = await manager.request("PATCH", path, {
      body: { name: "Sprint 7b", automation_tags: ["sprint-7"], due_date: "2027-01-15", is_started: true },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.result).toMatchObject({ name: "Sprint 7b", automation_tags: ["sprint-7"], is_started: true });
    const done = await manager.request("PATCH", path, { body: { is_completed: true } });
    expect(done.body.result.is_completed).toBe(true);
    expect(done.body.result.completed_at).not.toBeNull();
    const reopened = await manager.request("PATCH", path, { body: { is_completed: false } });
    expect(reopened.body.result).toMatchObject({ is_completed: false, completed_at: null });
    const late = await manager.request("PATCH", path, { body: { start_date: "2027-02-01" } });
    expect(late.status).toBe(422);
  });

  it("shows progress across manual runs, sessions and automation runs linked by tags", async () => {
    const milestone = (
      await manager.post(`/x/projects/${projectId}/milestones`, { name: "Release 3", automation_tags: ["rel-3"] })
    ).body.result;
    const linked = await automationRun("nightly", ["rel-3"], ["passed", "passed", "failed"]);
    await automationRun("unrelated", ["other"], ["passed"]);
    const session = await tester.post(`/x/projects/${projectId}/sessions`, {
      name: "Explore release 3",
      milestone_id: milestone.id,
    });
    await tester.post(`/x/sessions/${session.body.result.id}/results`, { status_id: 2, note: "fine" });
    await tester.post(`/x/sessions/${session.body.result.id}/close`);

    const res = await reader.get(`/x/milestones/${milestone.id}/progress`);
    expect(res.status).toBe(200);
    expect(Value.Check(MilestoneProgressResult, res.body)).toBe(true);
    const progress = res.body.result;
    expect(progress.automation_runs.total).toBe(1);
    expect(progress.automation_runs.items[0]).toMatchObject({
      id: linked,
      name: "nightly",
      is_done: true,
      total_count: 3,
      success_count: 2,
      failure_count: 1,
      status: 3,
      tags: ["rel-3"],
    });
    expect(progress.sessions).toMatchObject({ total: 1, done: 1 });
    expect(progress.sessions.items[0]).toMatchObject({ name: "Explore release 3", total_count: 1, status: null });
    expect(progress.manual_runs).toEqual({ total: 0, done: 0, items: [] });
    expect(progress.totals).toMatchObject({ total_count: 4, success_count: 3, failure_count: 1 });
  });

  it("checks permissions: managers write, testers and readers read, outsiders get 403", async () => {
    const created = await manager.post(`/x/projects/${projectId}/milestones`, { name: "Guarded" });
    const id = created.body.result.id;
    const testerCreate = await tester.post(`/x/projects/${projectId}/milestones`, { name: "nope" });
    expect(testerCreate.status).toBe(403);
    expect(testerCreate.body.message).toMatch(/manage milestones.*Ask/);
    expect((await reader.request("PATCH", `/x/milestones/${id}`, { body: { name: "nope" } })).status).toBe(403);
    expect((await tester.get(`/x/milestones/${id}/progress`)).status).toBe(200);
    expect((await outsider.get(`/x/milestones/${id}/progress`)).status).toBe(403);
    expect((await outsider.request("PATCH", `/x/milestones/${id}`, { body: { name: "nope" } })).status).toBe(403);
    expect((await reader.get("/x/milestones/999999/progress")).status).toBe(404);
    expect((await admin.request("PATCH", "/x/milestones/999999", { body: { name: "x" } })).status).toBe(404);
    expect((await reader.get(`/milestones/${id}`)).body.result.name).toBe("Guarded");
  });
});
