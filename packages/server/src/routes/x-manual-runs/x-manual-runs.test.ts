import { ManualRunResult, ManualRunTestList, type Run, type RunResultAttachmentResult } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, readResponse } from "../../test-support/http.js";
import {
  createOutsiderToken,
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

const SECOND = 1_000_000;

describe.each(BACKENDS)("manual run writes on %s", (backend) => {
  let server: TestServer;
  let admin: ApiClient;
  let lead: ApiClient;
  let tester: ApiClient;
  let reader: ApiClient;
  let outsider: ApiClient;
  let projectId: number;
  let testerId: number;
  let leadId: number;
  let readerId: number;
  let milestoneId: number;
  let folderId: number;
  let subfolderId: number;
  let caseIds: number[];

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    admin = new ApiClient(server.url, server.token);
    const out = await runServerCommand(server, ["demo"]);
    projectId = Number(/id (\d+)/.exec(out)![1]);
    lead = admin.withToken(await createUserWithToken(server, "lead@example.com", "project-manager"));
    tester = admin.withToken(await createUserWithToken(server, "tester@example.com", "tester"));
    reader = admin.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    outsider = admin.withToken(await createOutsiderToken(server, "outsider@example.com", projectId));
    const me = async (client: ApiClient) => (await client.get("/user")).body.id as number;
    [leadId, testerId, readerId] = [await me(lead), await me(tester), await me(reader)];
    milestoneId = (await admin.get(`/projects/${projectId}/milestones`)).body.result[0].id;
    const top = await admin.post(`/projects/${projectId}/folders`, { folders: [{ name: "Manual checkout" }] });
    folderId = top.body.result[0].id;
    const sub = await admin.post(`/projects/${projectId}/folders`, {
      folders: [{ name: "Cards", parent_id: folderId }],
    });
    subfolderId = sub.body.result[0].id;
    const created = await admin.post(`/projects/${projectId}/cases`, {
      cases: [
        { name: "Mtx pay by card", folder_id: subfolderId, estimate: 60 * SECOND, tags: ["manualsmoke"] },
        { name: "Mtx pay by invoice", folder_id: folderId, estimate: 120 * SECOND },
        { name: "Refund an order", folder_id: folderId, estimate: 180 * SECOND },
      ],
    });
    expect(created.status).toBe(201);
    caseIds = created.body.result.map((c: { id: number }) => c.id);
  }, 120_000);
  afterAll(() => server?.stop());

  const createRun = (body: Record<string, unknown>, client = lead) =>
    client.post(`/x/projects/${projectId}/runs`, { name: "Release 2.0 regression", ...body });

  it("creates a run from a folder with its subfolders, shares the tests among assignees, sets milestone and config", async () => {
    const res = await createRun({
      folder_ids: [folderId],
      assignee_ids: [leadId, testerId],
      milestone_id: milestoneId,
      config_name: "Firefox on Linux",
    });
    expect(res.status).toBe(201);
    expect(Value.Check(ManualRunResult, res.body)).toBe(true);
    const run: Run = res.body.result;
    expect(run).toMatchObject({
      project_id: projectId,
      milestone_id: milestoneId,
      untested_count: 3,
      forecast: 360 * SECOND,
      forecast_completed: 0,
      is_closed: false,
      is_started: false,
      created_by: leadId,
    });
    const configs = (await lead.get(`/x/projects/${projectId}/configs`)).body.result;
    expect(configs.find((c: { id: number }) => c.id === run.config_id).name).toBe("Firefox on Linux");
    const tests = await tester.get(`/x/runs/${run.id}/tests`);
    expect(tests.status).toBe(200);
    expect(Value.Check(ManualRunTestList, tests.body)).toBe(true);
    expect(tests.body.result.map((t: { case_id: number }) => t.case_id).sort()).toEqual([...caseIds].sort());
    const shares = tests.body.result.map((t: { assignee_id: number }) => t.assignee_id);
    expect(shares.filter((id: number) => id === leadId)).toHaveLength(2);
    expect(shares.filter((id: number) => id === testerId)).toHaveLength(1);
    // Testmo's read shows it like any other run
    expect((await admin.get(`/runs/${run.id}`)).body.result.name).toBe("Release 2.0 regression");
  });

  it("selects by case ids and by a filter on name or tags; the union holds each case once", async () => {
    const byIds = await createRun({ case_ids: [caseIds[2], caseIds[2]] });
    expect(byIds.body.result.untested_count).toBe(1);
    const byName = await createRun({ case_filter: { name: "MTX PAY BY" } });
    expect(byName.body.result.untested_count).toBe(2);
    const byTag = await createRun({ case_filter: { tags: ["ManualSmoke"] }, case_ids: [caseIds[0]] });
    expect(byTag.body.result.untested_count).toBe(1);
  });

  it("refuses an empty or unknown selection, foreign milestones and assignees who may not test, changing nothing", async () => {
    const before = (await admin.get(`/projects/${projectId}/runs`)).body.total;
    const empty = await createRun({});
    expect(empty.status).toBe(422);
    expect(empty.body.errors.folder_ids[0]).toMatch(/no cases/);
    const noMatch = await createRun({ case_filter: { name: "nothing matches this" } });
    expect(noMatch.status).toBe(422);
    const unknown = await createRun({ folder_ids: [999_999], case_ids: [999_998] });
    expect(unknown.status).toBe(422);
    expect(Object.keys(unknown.body.errors).sort()).toEqual(["case_ids.0", "folder_ids.0"]);
    const badMilestone = await createRun({ folder_ids: [folderId], milestone_id: 999_999 });
    expect(badMilestone.body.errors.milestone_id[0]).toMatch(/does not exist in project/);
    const badAssignee = await createRun({ folder_ids: [folderId], assignee_ids: [testerId, readerId] });
    expect(badAssignee.status).toBe(422);
    expect(badAssignee.body.errors["assignee_ids.1"][0]).toMatch(/may not add results/);
    const both = await createRun({ folder_ids: [folderId], config_id: 1, config_name: "x" });
    expect(both.body.errors.config_name).toBeDefined();
    expect((await createRun({ folder_ids: [folderId], name: "" })).status).toBe(422);
    expect((await admin.get(`/projects/${projectId}/runs`)).body.total).toBe(before);
  });

  it("records results: latest result, counts, forecast, elapsed, issues, and Testmo's reads agree", async () => {
    const run: Run = (await createRun({ folder_ids: [folderId], assignee_ids: [testerId] })).body.result;
    const tests = (await tester.get(`/x/runs/${run.id}/tests`)).body.result as { id: number; estimate: number }[];
    const [first, second] = tests;
    const integration = (await admin.get("/issues/connections")).body.result[0];
    const failed = await tester.post(`/x/runs/${run.id}/results`, {
      test_id: first!.id,
      status_id: 3,
      note: "<b>Card declined</b>",
      elapsed: 30 * SECOND,
      issues: [
        {
          display_id: "#555",
          integration_id: integration.integration_id,
          connection_project_id: integration.connection_project_id ?? undefined,
        },
      ],
    });
    expect(failed.status).toBe(201);
    expect(failed.body.result).toMatchObject({ status_id: 3, is_latest: true, note: "<b>Card declined</b>" });
    expect(failed.body.result.issues).toHaveLength(1);
    expect(failed.body.run).toMatchObject({ untested_count: 2, failure_count: 1, is_started: true });
    const passed = await tester.post(`/x/runs/${run.id}/results`, {
      test_id: first!.id,
      status_id: 2,
      elapsed: 10 * SECOND,
    });
    expect(passed.body.run).toMatchObject({ untested_count: 2, success_count: 1, failure_count: 0 });
    await tester.post(`/x/runs/${run.id}/results`, { test_id: second!.id, status_id: 5 });
    const read = (await admin.get(`/runs/${run.id}`)).body.result as Run;
    expect(read.elapsed).toBe(40 * SECOND);
    expect(read.forecast_completed).toBe(first!.estimate + second!.estimate);
    const results = (await admin.get(`/runs/${run.id}/results?get_latest_result=1`)).body.result;
    expect(results).toHaveLength(2);
    const all = (await admin.get(`/runs/${run.id}/results`)).body.result;
    expect(all).toHaveLength(3);
    const list = (await reader.get(`/x/runs/${run.id}/tests`)).body.result;
    const shown = list.find((t: { id: number }) => t.id === first!.id);
    expect(shown.latest_result).toMatchObject({ status_id: 2, elapsed: 10 * SECOND });
    expect(list.find((t: { id: number }) => t.id === second!.id).status_id).toBe(5);
  });

  it("keeps the counts right when testers save the same test at the same time", async () => {
    const run: Run = (await createRun({ folder_ids: [folderId] })).body.result;
    const test = (await admin.get(`/x/runs/${run.id}/tests`)).body.result[0].id;
    const saves = await Promise.all(
      [2, 3, 5, 2, 3, 6].map((status) =>
        tester.post(`/x/runs/${run.id}/results`, { test_id: test, status_id: status }),
      ),
    );
    expect(saves.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const read = (await admin.get(`/runs/${run.id}`)).body.result as Record<string, number>;
    const perStatus = [read.untested_count, ...Array.from({ length: 24 }, (_, i) => read[`status${i + 1}_count`]!)];
    expect(perStatus.reduce((a, b) => a! + b!, 0)).toBe(3);
    expect(read.untested_count).toBe(2);
    const latest = (await admin.get(`/runs/${run.id}/results?get_latest_result=1`)).body.result;
    expect(latest).toHaveLength(1);
    const shown = (await admin.get(`/x/runs/${run.id}/tests`)).body.result[0];
    expect(shown.status_id).toBe(latest[0].status_id);
    expect(read[`status${latest[0].status_id - 1}_count`]).toBe(1);
  });

  it("refuses bad results with field errors", async () => {
    const run: Run = (await createRun({ case_ids: [caseIds[0]] })).body.result;
    const other: Run = (await createRun({ case_ids: [caseIds[1]] })).body.result;
    const otherTest = (await admin.get(`/x/runs/${other.id}/tests`)).body.result[0].id;
    const foreign = await tester.post(`/x/runs/${run.id}/results`, { test_id: otherTest, status_id: 2 });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors.test_id[0]).toMatch(/is not in run/);
    const test = (await admin.get(`/x/runs/${run.id}/tests`)).body.result[0].id;
    const untested = await tester.post(`/x/runs/${run.id}/results`, { test_id: test, status_id: 1 });
    expect(untested.body.errors.status_id).toBeDefined();
    const badIssue = await tester.post(`/x/runs/${run.id}/results`, { test_id: test, status_id: 2, issues: [999_999] });
    expect(badIssue.body.errors["issues.0"]).toBeDefined();
    expect((await tester.post(`/x/runs/${run.id}/results`, { test_id: test, status_id: 99 })).status).toBe(422);
    expect((await admin.get(`/runs/${run.id}/results`)).body.total).toBe(0);
    expect((await tester.post("/x/runs/999999/results", { test_id: test, status_id: 2 })).status).toBe(404);
  });

  it("attaches a screenshot to a result and serves it to viewers only", async () => {
    const run: Run = (await createRun({ case_ids: [caseIds[0]] })).body.result;
    const test = (await tester.get(`/x/runs/${run.id}/tests`)).body.result[0].id;
    const result = (await tester.post(`/x/runs/${run.id}/results`, { test_id: test, status_id: 3 })).body.result;
    const form = new FormData();
    form.append("file", new Blob([Uint8Array.from([137, 80, 78, 71])], { type: "image/png" }), "screen.png");
    const upload = await fetch(`${server.url}/api/v1/x/run-results/${result.id}/attachments`, {
      method: "POST",
      headers: { authorization: `Bearer ${tester.token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const attachment = (await readResponse<RunResultAttachmentResult>(upload)).body.result;
    expect(attachment).toMatchObject({ name: "screen.png", mime_type: "image/png", size: 4, result_id: result.id });
    const listed = (await reader.get(`/x/runs/${run.id}/tests`)).body.result[0].latest_result.attachments;
    expect(listed.map((a: { id: number }) => a.id)).toEqual([attachment.id]);
    const download = await fetch(`${server.url}${attachment.path}`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^inline/);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(Uint8Array.from([137, 80, 78, 71]));
    const denied = await fetch(`${server.url}${attachment.path}`, {
      headers: { authorization: `Bearer ${outsider.token}` },
    });
    expect(denied.status).toBe(403);
    const none = await fetch(`${server.url}/api/v1/x/run-results/${result.id}/attachments`, {
      method: "POST",
      headers: { authorization: `Bearer ${tester.token}` },
      body: new FormData(),
    });
    expect(none.status).toBe(422);
  });

  it("edits, assigns and closes; a closed run refuses every write with a 422 saying what to do", async () => {
    const run: Run = (await createRun({ folder_ids: [folderId] })).body.result;
    const renamed = await lead.request("PATCH", `/x/runs/${run.id}`, {
      body: { name: "Renamed", milestone_id: null, config_id: null },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.result).toMatchObject({ name: "Renamed", milestone_id: null, updated_by: leadId });
    const tests = (await lead.get(`/x/runs/${run.id}/tests`)).body.result;
    const assigned = await lead.post(`/x/runs/${run.id}/assign`, { test_ids: [tests[0].id], assignee_id: testerId });
    expect(assigned.status).toBe(200);
    expect(assigned.body.result.find((t: { id: number }) => t.id === tests[0].id).assignee_id).toBe(testerId);
    const badAssign = await lead.post(`/x/runs/${run.id}/assign`, { test_ids: [999_999], assignee_id: readerId });
    expect(badAssign.status).toBe(422);
    const closed = await lead.post(`/x/runs/${run.id}/close`, {});
    expect(closed.status).toBe(200);
    expect(closed.body.result).toMatchObject({ is_closed: true, closed_by: leadId });
    const again = await lead.post(`/x/runs/${run.id}/close`, {});
    expect(again.status).toBe(422);
    expect(again.body.message).toMatch(/closed.*Create a new run/);
    const result = await tester.post(`/x/runs/${run.id}/results`, { test_id: tests[0].id, status_id: 2 });
    expect(result.status).toBe(422);
    expect(result.body.errors.run_id[0]).toMatch(/closed/);
    expect((await lead.request("PATCH", `/x/runs/${run.id}`, { body: { name: "x" } })).status).toBe(422);
    expect((await lead.post(`/x/runs/${run.id}/assign`, { test_ids: [tests[0].id], assignee_id: null })).status).toBe(
      422,
    );
  });

  it("checks permissions: manage_runs to create and close, results to add results, view to read", async () => {
    const run: Run = (await createRun({ folder_ids: [folderId] })).body.result;
    const test = (await admin.get(`/x/runs/${run.id}/tests`)).body.result[0].id;
    const asTester = await createRun({ folder_ids: [folderId] }, tester);
    expect(asTester.status).toBe(403);
    expect(asTester.body.message).toMatch(/create manual runs/);
    expect((await tester.post(`/x/runs/${run.id}/close`, {})).status).toBe(403);
    const asReader = await reader.post(`/x/runs/${run.id}/results`, { test_id: test, status_id: 2 });
    expect(asReader.status).toBe(403);
    expect(asReader.body.message).toMatch(/add results/);
    expect((await reader.get(`/x/runs/${run.id}/tests`)).status).toBe(200);
    expect((await outsider.get(`/x/runs/${run.id}/tests`)).status).toBe(403);
    expect((await outsider.get(`/x/projects/${projectId}/configs`)).status).toBe(403);
    expect((await admin.get("/x/runs/999999/tests")).status).toBe(404);
    expect((await admin.get(`/x/runs/${run.id}/tests`, { token: null })).status).toBe(401);
  });

  it("replays an Idempotency-Key instead of creating a second run", async () => {
    const headers = { "idempotency-key": `run-${backend}` };
    const body = { name: "Once", folder_ids: [folderId] };
    const first = await lead.post(`/x/projects/${projectId}/runs`, body, { headers });
    const second = await lead.post(`/x/projects/${projectId}/runs`, body, { headers });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body.result.id).toBe(first.body.result.id);
  });
});
