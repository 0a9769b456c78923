import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, makeTests } from "../../test-support/http.js";
import { startServerProcess, type TestServer } from "../../test-support/server-process.js";

describe.each(BACKENDS)("automation runs on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  async function createRun(body: Record<string, unknown> = {}) {
    const res = await api.post("/projects/1/automation/runs", { name: "CI #1", source: "backend", ...body });
    expect(res.status).toBe(201);
    return res.body.id as number;
  }

  async function createThread(runId: number, body: Record<string, unknown> = {}) {
    const res = await api.post(`/automation/runs/${runId}/threads`, body);
    expect(res.status).toBe(201);
    return res.body.id as number;
  }

  it("runs the CLI's submit flow: 5,000 tests in one append, counts, status and threads", async () => {
    const runId = await createRun({
      tags: ["nightly"],
      config: "chrome",
      fields: [{ type: 1, name: "Branch", value: "main" }],
      links: [{ name: "Build", url: "https://ci.example.com/1", note: "CI" }],
      artifacts: [{ name: "report.html", url: "https://ci.example.com/report.html", size: 10 }],
    });
    const threadId = await createThread(runId, {
      elapsed_computed: 5_000_000,
      fields: [{ type: 4, name: "Output", value: "npm test" }],
    });
    const tests = makeTests(5000, { statuses: ["passed", "passed", "failure", "error", "skipped"], withDetails: true });
    const append = await api.post(`/automation/runs/threads/${threadId}/append`, { tests });
    expect(append.status).toBe(204);
    expect(append.body).toBe("");
    expect((await api.post(`/automation/runs/${runId}/complete`, { measure_elapsed: false })).status).toBe(204);

    const { status, body } = await api.get(`/automation/runs/${runId}?expands=automation_sources,configs,users`);
    expect(status).toBe(200);
    const run = body.result;
    expect(run).toMatchObject({
      id: runId,
      project_id: 1,
      name: "CI #1",
      status: 3,
      is_completed: true,
      elapsed: 5_000_000,
      tags: ["nightly"],
      total_count: 5000,
      status1_count: 2000,
      status2_count: 2000,
      status5_count: 1000,
      success_count: 2000,
      failure_count: 2000,
      completed_count: 5000,
      untested_count: 0,
      thread_count: 1,
      thread_active_count: 0,
      thread_completed_count: 1,
    });
    expect(run.fields).toEqual([{ type: 1, name: "Branch", value: "main", meta: null, is_highlight: false }]);
    expect(run.links).toEqual([{ name: "Build", note: "CI", url: "https://ci.example.com/1" }]);
    expect(run.artifacts[0]).toMatchObject({ name: "report.html", size: 10, mime_type: null });
    expect(run.threads).toHaveLength(1);
    expect(run.threads[0]).toMatchObject({ id: threadId, index: 1, status: 3, is_completed: true, total_count: 5000 });
    expect(run.threads[0].fields[0]).toMatchObject({ type: 4, name: "Output" });
    expect(body.expands.automation_sources).toEqual([{ id: run.source_id, name: "backend" }]);
    expect(body.expands.configs).toEqual([{ id: run.config_id, name: "chrome" }]);
    expect(body.expands.users).toEqual([{ id: 1, name: "Administrator" }]);
  });

  it("marks a run without failed tests as success, and parallel threads sum up", async () => {
    const runId = await createRun({ source: "frontend" });
    const threads = await Promise.all([createThread(runId), createThread(runId), createThread(runId)]);
    await Promise.all(
      threads.map((id, i) =>
        api.post(`/automation/runs/threads/${id}/append`, {
          tests: makeTests(100, { prefix: `p${i}`, statuses: ["passed", "skipped"] }),
          elapsed_observed: 1000 * (i + 1),
        }),
      ),
    );
    expect((await api.post(`/automation/runs/threads/${threads[0]}/complete`, {})).status).toBe(204);
    const open = (await api.get(`/automation/runs/${runId}`)).body.result;
    expect(open).toMatchObject({ status: 4, is_completed: false, thread_active_count: 2, total_count: 300 });
    expect((await api.post(`/automation/runs/${runId}/complete`, {})).status).toBe(204);
    const done = (await api.get(`/automation/runs/${runId}`)).body.result;
    expect(done).toMatchObject({ status: 2, is_completed: true, total_count: 300, status1_count: 150, elapsed: 3000 });
    expect(done.threads.map((t: { index: number }) => t.index).sort()).toEqual([1, 2, 3]);
  });

  it("measures elapsed from creation to completion when asked", async () => {
    const runId = await createRun();
    await api.post(`/automation/runs/${runId}/complete`, { measure_elapsed: true });
    const run = (await api.get(`/automation/runs/${runId}`)).body.result;
    expect(run.elapsed).toBeGreaterThanOrEqual(0);
    expect(run.status).toBe(2);
  });

  it("appends run-level resources while open", async () => {
    const runId = await createRun();
    const res = await api.post(`/automation/runs/${runId}/append`, {
      fields: [{ type: 5, name: "Job", value: "https://ci.example.com/j" }],
      links: [],
      artifacts: [],
    });
    expect(res.status).toBe(204);
    expect((await api.get(`/automation/runs/${runId}`)).body.result.fields[0].name).toBe("Job");
  });

  it("rejects changes to completed runs and threads with 422, changing nothing", async () => {
    const runId = await createRun();
    const threadId = await createThread(runId);
    await api.post(`/automation/runs/${runId}/complete`, {});
    const append = await api.post(`/automation/runs/threads/${threadId}/append`, { tests: makeTests(3) });
    expect(append.status).toBe(422);
    expect(append.body.message).toMatch(/already completed/);
    expect((await api.post(`/automation/runs/${runId}/threads`, {})).status).toBe(422);
    expect((await api.post(`/automation/runs/${runId}/append`, { fields: [] })).status).toBe(422);
    expect((await api.post(`/automation/runs/${runId}/complete`, {})).status).toBe(422);
    expect((await api.post(`/automation/runs/threads/${threadId}/complete`, {})).status).toBe(422);
    expect((await api.get(`/automation/runs/${runId}`)).body.result.total_count).toBe(0);
  });

  it("rejects a whole append when one test is invalid, storing none of it", async () => {
    const runId = await createRun();
    const threadId = await createThread(runId);
    const tests = makeTests(10);
    tests[7]!.status = "exploded";
    const res = await api.post(`/automation/runs/threads/${threadId}/append`, { tests });
    expect(res.status).toBe(422);
    expect(res.body.errors["tests.7.status"][0]).toContain("passed");
    const badKey = await api.post(`/automation/runs/threads/${threadId}/append`, {
      tests: [{ ...makeTests(1)[0], key: "Not-Hex" }],
    });
    expect(badKey.status).toBe(422);
    expect(Object.keys(badKey.body.errors)).toEqual(["tests.0.key"]);
    const wrongType = await api.post(`/automation/runs/threads/${threadId}/append`, {
      tests: [{ ...makeTests(1)[0], elapsed: "12" }],
    });
    expect(wrongType.status).toBe(422);
    expect((await api.get(`/automation/runs/${runId}`)).body.result.total_count).toBe(0);
  });

  it("validates run creation: required fields, unknown milestone and config ids", async () => {
    const missing = await api.post("/projects/1/automation/runs", { name: "x" });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.source).toEqual(["The source field is required."]);
    const milestone = await api.post("/projects/1/automation/runs", { name: "x", source: "s", milestone: "Nope" });
    expect(milestone.status).toBe(422);
    expect(milestone.body.errors.milestone[0]).toContain("does not exist");
    const config = await api.post("/projects/1/automation/runs", { name: "x", source: "s", config_id: 999 });
    expect(config.status).toBe(422);
    expect(config.body.errors.config_id).toBeDefined();
    expect((await api.post("/projects/999/automation/runs", { name: "x", source: "s" })).status).toBe(404);
  });

  it("lists runs with filters, sorting and pagination; sources are created on first use", async () => {
    const page = await api.get("/projects/1/automation/runs?per_page=15&page=1&order=asc&source_id=1,2");
    expect(page.status).toBe(200);
    expect(page.body.per_page).toBe(15);
    const ids = page.body.result.map((r: { id: number }) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const failed = await api.get("/projects/1/automation/runs?status=3&tags=nightly&expands=statuses");
    expect(failed.body.result.every((r: { status: number }) => r.status === 3)).toBe(true);
    expect(failed.body.total).toBe(1);
    expect(failed.body.expands.statuses.map((s: { id: number }) => s.id)).toContain(2);
    const after = await api.get("/projects/1/automation/runs?created_after=2100-01-01T00:00:00.000Z");
    expect(after.body).toMatchObject({ total: 0, page: null, result: [] });
    const sources = await api.get("/projects/1/automation/sources?sort=automation_sources:ran_at&expands=users");
    expect(sources.body.result.map((s: { name: string }) => s.name).sort()).toEqual(["backend", "frontend"]);
    const backendSource = sources.body.result.find((s: { name: string }) => s.name === "backend");
    expect(backendSource.run_count).toBeGreaterThanOrEqual(4);
    const single = await api.get(`/automation/sources/${backendSource.id}`);
    expect(single.body.result).toMatchObject({ id: backendSource.id, name: "backend", is_retired: false });
    expect((await api.get("/automation/sources/9999")).status).toBe(404);
    expect((await api.get("/projects/1/automation/runs?created_after=yesterday")).status).toBe(422);
  });

  it("stores the longest names, folders and failure texts allowed, in 4-byte characters, without a 5xx", async () => {
    // 750 characters (the schema counts code points) of 4 bytes each: 3,000 bytes, more than a PostgreSQL
    // B-tree entry can hold, so no index may cover these columns whole.
    const long = "😀".repeat(750);
    const runId = await createRun({ source: "long-names", fields: [{ type: 1, name: "Branch", value: long }] });
    const threadId = await createThread(runId);
    const failure = { type: 4, name: "Failure", value: long.repeat(20), meta: { message: long, type: long } };
    const tests = [
      { key: "a1", name: long, folder: long, status: "failure", fields: [failure] },
      { key: "a2", name: `${long.slice(0, -2)}x`, folder: long, status: "passed" },
    ];
    expect((await api.post(`/automation/runs/threads/${threadId}/append`, { tests })).status).toBe(204);
    const page = await api.get(`/automation/runs/${runId}/tests?sort=automation_run_tests:name`);
    expect(page.status).toBe(200);
    expect(page.body.result).toHaveLength(2);
    const cases = await api.get(
      "/x/projects/1/automation/cases?sort=name&order=asc&folder=" + encodeURIComponent(long),
    );
    expect(cases.status).toBe(200);
    expect(cases.body.result.map((c: { name: string }) => c.name)).toEqual([tests[1]!.name, tests[0]!.name]); // "x" sorts before "😀" by code point
  });
});
