import { SessionAttachmentList, SessionRecordingResult, SessionResultList } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, type ApiResponse } from "../../test-support/http.js";
import {
  createOutsiderToken,
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

const PASSED = 2;
const FAILED = 3;

describe.each(BACKENDS)("recording sessions (/x) on %s", (backend) => {
  let server: TestServer;
  let admin: ApiClient;
  let tester: ApiClient;
  let reader: ApiClient;
  let outsider: ApiClient;
  let projectId: number;

  async function upload(client: ApiClient, sessionId: number, name: string, content: string): Promise<ApiResponse> {
    const form = new FormData();
    form.append("file", new Blob([content], { type: "text/plain" }), name);
    const response = await fetch(`${client.baseUrl}/api/v1/x/sessions/${sessionId}/attachments`, {
      method: "POST",
      headers: { authorization: `Bearer ${client.token}`, accept: "application/json" },
      body: form,
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  async function newSession(body: Record<string, unknown> = {}) {
    const res = await tester.post(`/x/projects/${projectId}/sessions`, { name: "Explore checkout", ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.result.id as number;
  }

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    admin = new ApiClient(server.url, server.token);
    projectId = Number((await runServerCommand(server, ["project", "create", "--name", "Sessions"])).trim());
    tester = admin.withToken(await createUserWithToken(server, "tester@example.com", "tester"));
    reader = admin.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    outsider = admin.withToken(await createOutsiderToken(server, "outsider@example.com", projectId));
  }, 90_000);
  afterAll(() => server?.stop());

  it("creates a session with its charter; Testmo's read shows it too", async () => {
    const milestone = await admin.post(`/x/projects/${projectId}/milestones`, { name: "Release 1" });
    const res = await tester.post(`/x/projects/${projectId}/sessions`, {
      name: "Explore checkout",
      charter: "Explore payment <script>alert(1)</script> with expired cards",
      milestone_id: milestone.body.result.id,
      tags: ["checkout", " checkout ", "payments"],
    });
    expect(res.status).toBe(201);
    expect(Value.Check(SessionRecordingResult, res.body)).toBe(true);
    const session = res.body.result;
    expect(session.charter).toBe("Explore payment <script>alert(1)</script> with expired cards");
    expect(session.tags).toEqual(["checkout", "payments"]);
    expect(session.is_started).toBe(false);
    expect(session.timer_started_at).toBeNull();
    const testmo = await reader.get(`/sessions/${session.id}`);
    expect(testmo.body.result).toMatchObject({ name: "Explore checkout", milestone_id: milestone.body.result.id });
    expect(testmo.body.result.charter).toBeUndefined();
  });

  it("refuses bad input with field errors and changes nothing", async () => {
    const before = (await admin.get(`/projects/${projectId}/sessions`)).body.total;
    const empty = await tester.post(`/x/projects/${projectId}/sessions`, { name: "" });
    expect(empty.status).toBe(422);
    const milestone = await tester.post(`/x/projects/${projectId}/sessions`, { name: "x", milestone_id: 999_999 });
    expect(milestone.status).toBe(422);
    expect(milestone.body.errors.milestone_id[0]).toMatch(/does not exist/);
    const assignee = await tester.post(`/x/projects/${projectId}/sessions`, { name: "x", assignee_id: 999_999 });
    expect(assignee.body.errors.assignee_id[0]).toMatch(/does not exist/);
    const timer = await tester.request("PATCH", `/x/sessions/${await newSession()}`, { body: { timer: "run" } });
    expect(timer.status).toBe(422);
    // a milestone of another project is no milestone here, in a create or in an edit
    const otherProject = Number((await runServerCommand(server, ["project", "create", "--name", "Other"])).trim());
    const foreign = (await admin.post(`/x/projects/${otherProject}/milestones`, { name: "Foreign" })).body.result.id;
    const create = await tester.post(`/x/projects/${projectId}/sessions`, { name: "x", milestone_id: foreign });
    expect(create.body.errors.milestone_id[0]).toMatch(`does not exist in project ${projectId}`);
    const edit = await tester.request("PATCH", `/x/sessions/${await newSession()}`, {
      body: { milestone_id: foreign },
    });
    expect(edit.status).toBe(422);
    expect((await admin.get(`/projects/${projectId}/sessions`)).body.total).toBe(before + 2);
  });

  it("runs the timer: start, pause adds the running span, elapsed can be corrected", async () => {
    const id = await newSession();
    const path = `/x/sessions/${id}`;
    const started = await tester.request("PATCH", path, { body: { timer: "start" } });
    expect(started.status).toBe(200);
    expect(started.body.result.timer_started_at).not.toBeNull();
    expect(started.body.result.is_started).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await tester.request("PATCH", path, { body: { timer: "start" } });
    expect(again.body.result.timer_started_at).toBe(started.body.result.timer_started_at);
    const paused = await tester.request("PATCH", path, { body: { timer: "pause" } });
    expect(paused.body.result.timer_started_at).toBeNull();
    expect(paused.body.result.elapsed).toBeGreaterThanOrEqual(50_000);
    expect(paused.body.result.elapsed_now).toBe(paused.body.result.elapsed);
    const corrected = await tester.request("PATCH", path, { body: { elapsed: 600_000_000 } });
    expect(corrected.body.result.elapsed).toBe(600_000_000);
    const running = await tester.request("PATCH", path, { body: { timer: "start", notes: "Saw a slow page" } });
    expect(running.body.result.notes).toBe("Saw a slow page");
    const read = await reader.get(path);
    expect(read.body.result.elapsed_now).toBeGreaterThanOrEqual(600_000_000);
  });

  it("counts a running span once when two pauses race", async () => {
    const id = await newSession();
    const path = `/x/sessions/${id}`;
    const before = Date.now();
    await tester.request("PATCH", path, { body: { timer: "start" } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pauses = await Promise.all([
      tester.request("PATCH", path, { body: { timer: "pause" } }),
      tester.request("PATCH", path, { body: { timer: "pause" } }),
    ]);
    const wall = (Date.now() - before) * 1000;
    for (const res of pauses) expect([200, 422]).toContain(res.status);
    const session = (await reader.get(path)).body.result;
    expect(session.timer_started_at).toBeNull();
    expect(session.elapsed).toBeGreaterThanOrEqual(300_000);
    // twice the span would exceed the whole time the test took
    expect(session.elapsed).toBeLessThanOrEqual(wall);
  });

  it("records results with statuses; the session's counters follow", async () => {
    const id = await newSession();
    const ok = await tester.post(`/x/sessions/${id}/results`, { status_id: PASSED, note: "Card form works" });
    expect(ok.status).toBe(201);
    expect(ok.body.result).toMatchObject({ session_id: id, status_id: PASSED, note: "Card form works" });
    await tester.post(`/x/sessions/${id}/results`, { status_id: FAILED, note: "Expired card accepted", elapsed: 5 });
    const bad = await tester.post(`/x/sessions/${id}/results`, { status_id: 99 });
    expect(bad.status).toBe(422);
    const list = await reader.get(`/x/sessions/${id}/results`);
    expect(Value.Check(SessionResultList, list.body)).toBe(true);
    expect(list.body.result.map((r: { status_id: number }) => r.status_id)).toEqual([PASSED, FAILED]);
    const session = (await reader.get(`/sessions/${id}`)).body.result;
    expect(session).toMatchObject({ status1_count: 1, status2_count: 1, total_count: 2, failure_count: 1 });
  });

  it("keeps attachments and serves them as downloads to viewers only", async () => {
    const id = await newSession();
    const res = await upload(tester, id, "screenshot log.txt", "console output");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Value.Check(SessionAttachmentList, res.body)).toBe(true);
    const attachment = res.body.result[0];
    expect(attachment).toMatchObject({ name: "screenshot log.txt", size: 14, session_id: id });
    const list = await reader.get(`/x/sessions/${id}/attachments`);
    expect(list.body.result).toHaveLength(1);
    const file = await fetch(`${server.url}${attachment.path}`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(await file.text()).toBe("console output");
    const denied = await fetch(`${server.url}${attachment.path}`, {
      headers: { authorization: `Bearer ${outsider.token}` },
    });
    expect(denied.status).toBe(403);
    expect((await upload(reader, id, "x.txt", "x")).status).toBe(403);
  });

  it("closes a session: the timer stops and every later write is a 422", async () => {
    const id = await newSession({ charter: "Short one" });
    await tester.request("PATCH", `/x/sessions/${id}`, { body: { timer: "start" } });
    const closed = await tester.post(`/x/sessions/${id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.result).toMatchObject({ is_closed: true, timer_started_at: null });
    expect(closed.body.result.closed_at).not.toBeNull();
    const writes = [
      await tester.request("PATCH", `/x/sessions/${id}`, { body: { notes: "late" } }),
      await tester.post(`/x/sessions/${id}/results`, { status_id: PASSED }),
      await tester.post(`/x/sessions/${id}/close`),
      await upload(tester, id, "late.txt", "late"),
    ];
    for (const res of writes) {
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(/closed.*new session/);
    }
    expect((await reader.get(`/x/sessions/${id}`)).body.result.notes).toBeNull();
  });

  it("answers a repeated Idempotency-Key with the first response", async () => {
    const id = await newSession();
    const headers = { "idempotency-key": `result-${backend}` };
    const first = await tester.post(`/x/sessions/${id}/results`, { status_id: PASSED }, { headers });
    const second = await tester.post(`/x/sessions/${id}/results`, { status_id: PASSED }, { headers });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body.result.id).toBe(first.body.result.id);
    expect((await reader.get(`/x/sessions/${id}/results`)).body.result).toHaveLength(1);
  });

  it("checks permissions: readers read, only recorders write, outsiders get 403, unknown ids 404", async () => {
    const id = await newSession();
    expect((await reader.get(`/x/sessions/${id}`)).status).toBe(200);
    const readerWrite = await reader.request("PATCH", `/x/sessions/${id}`, { body: { notes: "mine" } });
    expect(readerWrite.status).toBe(403);
    expect(readerWrite.body.message).toMatch(/record sessions/);
    expect((await reader.post(`/x/projects/${projectId}/sessions`, { name: "x" })).status).toBe(403);
    expect((await reader.post(`/x/sessions/${id}/close`)).status).toBe(403);
    expect((await outsider.get(`/x/sessions/${id}`)).status).toBe(403);
    expect((await outsider.get(`/x/sessions/${id}/results`)).status).toBe(403);
    expect((await tester.get("/x/sessions/999999")).status).toBe(404);
    expect((await tester.post("/x/projects/999999/sessions", { name: "x" })).status).toBe(404);
  });
});
