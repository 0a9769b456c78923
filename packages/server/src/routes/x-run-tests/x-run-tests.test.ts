import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { createOutsiderToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

describe.each(BACKENDS)("a run's tests for the web UI on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let runId: number;
  let emptyRunId: number;

  const failure = {
    type: 4,
    name: "Failure",
    value: "AssertionError: expected 3 but was 4\n    at CartTest.total (cart.test.js:12:5)",
    meta: { message: "expected 3 but was 4", type: "AssertionError" },
    is_highlight: true,
  };

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    const run = await api.post("/projects/1/automation/runs", { name: "compact", source: "web" });
    expect(run.status).toBe(201);
    runId = run.body.id;
    const first = await api.post(`/automation/runs/${runId}/threads`, {});
    const second = await api.post(`/automation/runs/${runId}/threads`, {});
    const append = (threadId: number, tests: unknown[]) =>
      api.post(`/automation/runs/threads/${threadId}/append`, { tests });
    expect(
      (
        await append(first.body.id, [
          { key: "a", name: "adds items", folder: "cart", status: "passed", elapsed: 1200 },
          { key: "b", name: "totals", folder: "cart", status: "failure", elapsed: 5000, fields: [failure] },
          {
            key: "c",
            name: "<img src=x onerror=alert(1)>",
            folder: "checkout",
            status: "skipped",
            artifacts: [{ name: "shot.png", url: "https://ci.example.com/shot.png", mime_type: "image/png", size: 42 }],
            fields: [{ type: 1, name: "Browser", value: "firefox" }],
          },
        ])
      ).status,
    ).toBe(204);
    expect(
      (await append(second.body.id, [{ key: "d", name: "pays", folder: "cart", status: "passed", elapsed: 800 }]))
        .status,
    ).toBe(204);
    const empty = await api.post("/projects/1/automation/runs", { name: "empty", source: "web" });
    emptyRunId = empty.body.id;
  });
  afterAll(() => server?.stop());

  it("answers every test of the run in columns, in id order, folders interned", async () => {
    const { status, body } = await api.get(`/x/automation/runs/${runId}/tests/compact`);
    expect(status).toBe(200);
    const c = body.result;
    expect(c.automation_run_id).toBe(runId);
    expect(c.total).toBe(4);
    expect(c.names).toEqual(["adds items", "totals", "<img src=x onerror=alert(1)>", "pays"]);
    expect(c.folders).toEqual(["cart", "checkout"]);
    expect(c.folder_index).toEqual([0, 0, 1, 0]);
    expect(c.status_ids).toEqual([2, 3, 6, 2]);
    expect(c.elapsed).toEqual([1200, 5000, null, 800]);
    expect(c.messages).toEqual([null, "expected 3 but was 4", null, null]);
    expect(c.ids).toEqual([...c.ids].sort((x: number, y: number) => x - y));
    expect(new Set(c.ids).size).toBe(4);
    expect(c.failure_group_ids[0]).toBeNull();
    expect(c.failure_group_ids[1]).toEqual(expect.any(Number));
    expect(c.failure_group_ids.slice(2)).toEqual([null, null]);

    // the same tests, ids and cases as the §7 list
    const listed = await api.get(`/automation/runs/${runId}/tests?sort=automation_run_tests:id&order=asc`);
    expect(listed.body.result.map((t: { id: number }) => t.id)).toEqual(c.ids);
    expect(listed.body.result.map((t: { automation_case_id: number }) => t.automation_case_id)).toEqual(c.case_ids);
    expect(listed.body.result[1].failure_group_id).toBe(c.failure_group_ids[1]);
  });

  it("answers empty columns for a run without tests", async () => {
    const { status, body } = await api.get(`/x/automation/runs/${emptyRunId}/tests/compact`);
    expect(status).toBe(200);
    expect(body.result).toEqual({
      automation_run_id: emptyRunId,
      total: 0,
      ids: [],
      case_ids: [],
      names: [],
      folders: [],
      folder_index: [],
      status_ids: [],
      elapsed: [],
      failure_group_ids: [],
      messages: [],
    });
  });

  it("answers one test with its fields and artifacts", async () => {
    const { body: compact } = await api.get(`/x/automation/runs/${runId}/tests/compact`);
    const [passedId, failedId, skippedId] = compact.result.ids as number[];

    const failed = await api.get(`/x/automation/run-tests/${failedId}`);
    expect(failed.status).toBe(200);
    expect(failed.body.result).toMatchObject({
      id: failedId,
      project_id: 1,
      automation_run_id: runId,
      automation_case_id: compact.result.case_ids[1],
      key: "b",
      name: "totals",
      folder: "cart",
      status: 3,
      status_id: 3,
      elapsed: 5000,
      message: "expected 3 but was 4",
      failure_group_id: compact.result.failure_group_ids[1],
      artifacts: [],
    });
    expect(failed.body.result.fields).toEqual([failure]);

    const skipped = await api.get(`/x/automation/run-tests/${skippedId}`);
    expect(skipped.body.result).toMatchObject({ name: "<img src=x onerror=alert(1)>", status: 1, status_id: 6 });
    expect(skipped.body.result.fields).toEqual([
      { type: 1, name: "Browser", value: "firefox", meta: null, is_highlight: false },
    ]);
    expect(skipped.body.result.artifacts).toEqual([
      { name: "shot.png", note: null, url: "https://ci.example.com/shot.png", mime_type: "image/png", size: 42 },
    ]);

    const passed = await api.get(`/x/automation/run-tests/${passedId}`);
    expect(passed.body.result).toMatchObject({ fields: [], artifacts: [], message: null, failure_group_id: null });
  });

  it("404 for an unknown run or test, 422 for a malformed id, 403 without access to the project", async () => {
    const missingRun = await api.get("/x/automation/runs/999999/tests/compact");
    expect(missingRun.status).toBe(404);
    expect(missingRun.body.message).toBe("Automation run 999999 does not exist.");
    const missingTest = await api.get("/x/automation/run-tests/999999");
    expect(missingTest.status).toBe(404);
    expect(missingTest.body.message).toBe("Automation run test 999999 does not exist.");
    for (const path of ["/x/automation/runs/abc/tests/compact", "/x/automation/run-tests/0"]) {
      const malformed = await api.get(path);
      expect(malformed.status, path).toBe(422);
    }

    const { body: compact } = await api.get(`/x/automation/runs/${runId}/tests/compact`);
    const outsider = api.withToken(await createOutsiderToken(server));
    const deniedRun = await outsider.get(`/x/automation/runs/${runId}/tests/compact`);
    expect(deniedRun.status).toBe(403);
    expect(deniedRun.body.message).toMatch(/Ask/);
    const deniedTest = await outsider.get(`/x/automation/run-tests/${compact.result.ids[0]}`);
    expect(deniedTest.status).toBe(403);
    expect(deniedTest.body.message).toMatch(/Ask/);
  });
});
