import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient } from "../test-support/http.js";
import { runServerCommand, startServerProcess, type TestServer } from "../test-support/server-process.js";

describe.each(BACKENDS)("assay-server milestone/run/session commands on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  const cmd = async (...args: string[]) => (await runServerCommand(server, args)).trim().split("\n");

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  }, 30_000);
  afterAll(() => server?.stop());

  it("creates a milestone, a run with results and a session that the API then returns", async () => {
    const created = await api.post("/projects/1/cases", {
      cases: [{ name: "Log in", estimate: 60_000_000 }, { name: "Log out" }],
    });
    expect(created.status).toBe(201);
    const caseIds = created.body.result.map((c: { id: number }) => c.id);

    const [milestoneId] = await cmd(
      "milestone",
      "create",
      "--project",
      "1",
      "--name",
      "R1",
      "--automation-tags",
      "r1,nightly",
      "--started",
    );
    const milestone = (await api.get(`/milestones/${milestoneId}`)).body.result;
    expect(milestone).toMatchObject({
      name: "R1",
      automation_tags: ["r1", "nightly"],
      is_started: true,
      created_by: 1,
    });

    const [runId, ...tests] = await cmd(
      "run",
      "create",
      "--project",
      "1",
      "--name",
      "Smoke",
      "--cases",
      caseIds.join(","),
      "--milestone",
      milestoneId!,
      "--tags",
      "smoke",
    );
    expect(tests).toHaveLength(2);
    const testIds = tests.map((line) => line.split(" ")[1]!);
    let run = (await api.get(`/runs/${runId}`)).body.result;
    expect(run).toMatchObject({
      untested_count: 2,
      total_count: 2,
      forecast: 60_000_000,
      is_started: false,
      tags: ["smoke"],
    });

    await cmd("run", "result", "--test", testIds[0]!, "--status", "3", "--note", "<p>broken</p>", "--elapsed", "30");
    await cmd("run", "result", "--test", testIds[0]!, "--status", "2", "--elapsed", "15");
    await cmd("run", "result", "--test", testIds[1]!, "--status", "5");
    run = (await api.get(`/runs/${runId}`)).body.result;
    expect(run).toMatchObject({
      untested_count: 0,
      status1_count: 1,
      status2_count: 0,
      status4_count: 1,
      success_count: 1,
      failure_count: 1,
      completed_count: 2,
      elapsed: 45_000_000,
      forecast_completed: 60_000_000,
      is_started: true,
    });
    const results = (await api.get(`/runs/${runId}/results?order=asc`)).body.result;
    expect(results.map((r: { status_id: number; is_latest: boolean }) => [r.status_id, r.is_latest])).toEqual([
      [3, false],
      [2, true],
      [5, true],
    ]);

    await cmd("run", "close", "--id", runId!);
    expect((await api.get(`/runs/${runId}`)).body.result.is_closed).toBe(true);
    await expect(cmd("run", "result", "--test", testIds[0]!, "--status", "2")).rejects.toThrow(/is closed/);
    await expect(cmd("run", "result", "--test", testIds[1]!, "--status", "99")).rejects.toThrow(
      /Status 99 does not exist/,
    );

    const [sessionId] = await cmd(
      "session",
      "create",
      "--project",
      "1",
      "--name",
      "Explore login",
      "--estimate",
      "3600",
    );
    await cmd("session", "result", "--id", sessionId!, "--status", "3", "--note", "crash", "--elapsed", "600");
    await cmd("session", "close", "--id", sessionId!);
    const session = (await api.get(`/sessions/${sessionId}?expands=templates`)).body;
    expect(session.result).toMatchObject({
      is_closed: true,
      status2_count: 1,
      failure_count: 1,
      elapsed: 600_000_000,
      estimate: 3_600_000_000,
    });
    expect(session.expands.templates[0]).toMatchObject({ is_default: true });

    const stats = (await api.get(`/milestones/${milestoneId}?expands=milestone_stats`)).body.expands.milestone_stats[0];
    expect(stats).toMatchObject({ id: Number(milestoneId), total_count: 2, success_count: 1 });
    await cmd("milestone", "complete", "--id", milestoneId!);
    expect((await api.get(`/milestones/${milestoneId}`)).body.result.is_completed).toBe(true);
    expect((await api.get("/projects/1")).body.result).toMatchObject({
      run_count: 1,
      run_closed_count: 1,
      session_count: 1,
    });
  });

  it("explains what is wrong", async () => {
    await expect(cmd("run", "create", "--project", "1", "--name", "x", "--cases", "9999")).rejects.toThrow(
      /Cases 9999 do not exist in project 1/,
    );
    await expect(cmd("session", "create", "--project", "1", "--name", "x", "--milestone", "9999")).rejects.toThrow(
      /Milestone 9999 does not exist in project 1/,
    );
  });
});
