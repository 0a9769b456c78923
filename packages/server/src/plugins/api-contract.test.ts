import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient, makeTests } from "../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../test-support/server-process.js";

/** The 40 operations of Testmo's API v1 (client 2.4.0), by the official binding's operationId. */
const TESTMO_OPERATIONS = [
  "getCurrentUser",
  "getUserPage",
  "getUser",
  "getUserPageForProject",
  "getGroupPage",
  "getGroup",
  "getRolePage",
  "getRole",
  "getProjectPage",
  "getProject",
  "getMilestonePage",
  "getMilestone",
  "getRunPage",
  "getRun",
  "getRunResultPage",
  "getSessionPage",
  "getSession",
  "getAutomationSourcePage",
  "getAutomationSource",
  "getAutomationRunPage",
  "getAutomationRun",
  "createAutomationRun",
  "appendToAutomationRun",
  "completeAutomationRun",
  "createAutomationRunThread",
  "appendToAutomationRunThread",
  "completeAutomationRunThread",
  "getCasesPage",
  "createCases",
  "updateCases",
  "deleteCases",
  "getFoldersPage",
  "createFolders",
  "updateFolders",
  "deleteFolders",
  "getCaseAttachmentsPage",
  "createCaseAttachments",
  "createCaseAttachment",
  "deleteCaseAttachments",
  "getConnectionsPage",
];

/** Testmo's newer operations (spec §7), outside client 2.4.0. */
const TESTMO_NEWER_OPERATIONS = [
  "getAutomationRunTestPage",
  "getAutomationCasePage",
  "createAutomationLink",
  "createAutomationLinks",
];

/** Every row of the error matrix, over HTTP against the real server process. */
describe.each(BACKENDS)("error contract on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let runId: number;
  let threadId: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend, env: { ASSAY_MAX_BODY_MB: "1" } });
    api = new ApiClient(server.url, server.token);
    runId = (await api.post("/projects/1/automation/runs", { name: "r", source: "s" })).body.id;
    threadId = (await api.post(`/automation/runs/${runId}/threads`, {})).body.id;
  });
  afterAll(() => server?.stop());

  // biome-ignore lint/suspicious/noExplicitAny: error bodies are checked field by field
  function expectError(res: { status: number; headers: Headers; body: any }, status: number) {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(typeof res.body.message).toBe("string");
    expect(res.body.message.length).toBeGreaterThan(10);
  }

  it("401 for a missing, malformed, unknown or revoked token", async () => {
    expectError(await api.get("/projects", { token: null }), 401);
    expectError(await api.get("/projects", { headers: { authorization: "Token abc" }, token: null }), 401);
    expectError(await api.get("/projects", { token: "assay_unknown" }), 401);
    const token = await createUserWithToken(server, "revoked@example.com", "tester");
    expect((await api.get("/user", { token })).status).toBe(200);
    // Token 1 is the administrator's (ASSAY_ADMIN_TOKEN); this user's is the second one created.
    await runServerCommand(server, ["token", "revoke", "--id", "2"]);
    expectError(await api.get("/user", { token }), 401);
  });

  it("403 for a read-only user writing and for a user without access to the project", async () => {
    const readOnly = await createUserWithToken(server, "reader@example.com", "read-only");
    expect((await api.get(`/automation/runs/${runId}`, { token: readOnly })).status).toBe(200);
    const append = await api.post(
      `/automation/runs/threads/${threadId}/append`,
      { tests: makeTests(1) },
      { token: readOnly },
    );
    expectError(append, 403);
    expect(append.body.message).toContain("does not allow");
    expectError(await api.post("/projects/1/automation/runs", { name: "x", source: "y" }, { token: readOnly }), 403);

    const outsider = await createUserWithToken(server, "outsider@example.com", "tester");
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      "1",
      "--email",
      "outsider@example.com",
      "--role",
      "none",
    ]);
    expectError(await api.get(`/automation/runs/${runId}`, { token: outsider }), 403);
    expectError(await api.get("/projects/1", { token: outsider }), 403);
    expect((await api.get("/projects", { token: outsider })).body.total).toBe(0);
    expect((await api.get(`/automation/runs/${runId}`)).body.result.total_count).toBe(0);
  });

  it("404 for unknown objects and unknown paths under /api/v1", async () => {
    expectError(await api.get("/automation/runs/999999"), 404);
    expectError(await api.post("/automation/runs/threads/999999/append", { tests: [] }), 404);
    expectError(await api.get("/no/such/endpoint"), 404);
  });

  it("405 with Allow for a known path and the wrong method", async () => {
    const res = await api.get(`/automation/runs/${runId}/complete`);
    expectError(res, 405);
    expect(res.headers.get("allow")).toBe("OPTIONS, POST");
    const del = await api.request("DELETE", `/automation/runs/${runId}`);
    expectError(del, 405);
    expect(del.headers.get("allow")).toContain("GET");
  });

  it("413 for a body over the limit, 415 for a non-JSON body, 422 for malformed JSON and wrong types", async () => {
    const big = await api.post(`/automation/runs/threads/${threadId}/append`, {
      tests: makeTests(1).map((t) => ({ ...t, name: "x".repeat(700) })),
      fields: [{ type: 2, name: "big", value: "y".repeat(1_100_000) }],
    });
    expectError(big, 413);
    expectError(
      await api.request("POST", `/automation/runs/${runId}/append`, {
        rawBody: "a=b",
        headers: { "content-type": "text/plain" },
      }),
      415,
    );
    const malformed = await api.request("POST", `/automation/runs/${runId}/append`, { rawBody: '{"fields": [' });
    expectError(malformed, 422);
    expect(malformed.body.message).toContain("not valid JSON");
    const wrongType = await api.post(`/automation/runs/${runId}/append`, { fields: [{ type: "one", name: "x" }] });
    expectError(wrongType, 422);
    expect(wrongType.body.errors["fields.0.type"]).toBeDefined();
    expect((await api.get(`/automation/runs/${runId}`)).body.result.fields).toEqual([]);
  });

  it("422, never a database error, for ids, pages and integers out of range and a NUL in a query", async () => {
    const id = await api.get("/automation/runs/2147483648");
    expectError(id, 422);
    expect(id.body.message).toContain("at most 2147483647");
    const filter = await api.get("/projects/1/automation/runs?created_by=1,99999999999");
    expectError(filter, 422);
    expect(filter.body.errors.created_by[0]).toContain("comma-separated list of ids");
    expectError(await api.get("/projects/1/automation/runs?page=10000001"), 422);
    const elapsed = await api.post(`/automation/runs/threads/${threadId}/append`, { elapsed_computed: 1e20 });
    expectError(elapsed, 422);
    expect(elapsed.body.errors.elapsed_computed).toBeDefined();
    const nul = await api.get("/projects/1/automation/runs?tags=a%00b");
    expectError(nul, 422);
    expect(nul.body.errors.tags[0]).toContain("Remove it from the URL");
  });

  it("stores a NUL inside a JSON string as U+FFFD on every database", async () => {
    const run = (await api.post("/projects/1/automation/runs", { name: "nul", source: "s" })).body.id;
    const appended = await api.request("POST", `/automation/runs/${run}/append`, {
      rawBody: '{"fields":[{"type":1,"name":"Output","value":"bin\\u0000ary"}]}',
    });
    expect(appended.status).toBe(204);
    const fields = (await api.get(`/automation/runs/${run}`)).body.result.fields;
    expect(fields[0].value).toBe("bin\uFFFDary");
  });

  it("carries the RateLimit headers on every API response", async () => {
    const res = await api.get("/user");
    expect(res.headers.get("ratelimit-policy")).toBe('"default";q=600;w=60');
    expect(res.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
  });

  it("serves the OpenAPI document of the implemented endpoints", async () => {
    const res = await api.get("/openapi.json", { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toContain("/api/v1/automation/runs/threads/{automation_run_thread_id}/append");
    expect(res.body.paths["/api/v1/projects/{project_id}/automation/runs"].post.operationId).toBe(
      "createAutomationRun",
    );
    const operations = Object.values(res.body.paths as Record<string, Record<string, { operationId: string }>>)
      .flatMap((methods) => Object.values(methods).map((op) => op.operationId))
      .filter((id) => !id.startsWith("assay") && id !== "downloadAttachment")
      .sort();
    expect(operations).toEqual([...TESTMO_OPERATIONS, ...TESTMO_NEWER_OPERATIONS].sort());
    // Multipart uploads document their form fields, though Fastify does not validate them.
    const single = res.body.paths["/api/v1/cases/{case_id}/attachments/single"].post.requestBody;
    expect(single.content["multipart/form-data"].schema).toMatchObject({
      required: ["file"],
      properties: { file: { type: "string", format: "binary" } },
    });
    const many = res.body.paths["/api/v1/cases/{case_id}/attachments"].post.requestBody;
    expect(many.content["multipart/form-data"].schema.required).toEqual(["files[]"]);
  });
});

describe.each(BACKENDS)("idempotent POSTs on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("replays a repeated request and applies it once; another body under the key is a 422", async () => {
    const key = { headers: { "idempotency-key": "create-1" } };
    const first = await api.post("/projects/1/automation/runs", { name: "r", source: "s" }, key);
    const again = await api.post("/projects/1/automation/runs", { name: "r", source: "s" }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const runs = await api.get("/projects/1/automation/runs");
    expect(runs.body.total).toBe(1);
    const other = await api.post("/projects/1/automation/runs", { name: "other", source: "s" }, key);
    expect(other.status).toBe(422);
    expect(other.body.errors["Idempotency-Key"][0]).toContain("new key");
  });

  it("stores concurrent duplicates of an append exactly once", async () => {
    const runId = (await api.post("/projects/1/automation/runs", { name: "r", source: "s" })).body.id;
    const threadId = (await api.post(`/automation/runs/${runId}/threads`, {})).body.id;
    const body = { tests: makeTests(500) };
    const headers = { headers: { "idempotency-key": "append-batch-1" } };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => api.post(`/automation/runs/threads/${threadId}/append`, body, headers)),
    );
    expect(results.map((r) => r.status)).toEqual([204, 204, 204, 204, 204]);
    expect((await api.get(`/automation/runs/${runId}`)).body.result.total_count).toBe(500);
  });

  it("rejects malformed keys", async () => {
    const res = await api.post(
      "/projects/1/automation/runs",
      { name: "r", source: "s" },
      { headers: { "idempotency-key": "has space" } },
    );
    expect(res.status).toBe(422);
    expect(res.body.errors["Idempotency-Key"]).toBeDefined();
  });
});

describe.each(BACKENDS)("rate limits on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({
      backend,
      env: {
        ASSAY_RATE_LIMIT_REQUESTS: "5",
        ASSAY_RATE_LIMIT_WINDOW_SECONDS: "30",
        ASSAY_RATE_LIMIT_PENALTY_AFTER: "2",
      },
    });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("answers a burst over the budget with 429 and Retry-After, and escalates when hammered after being told", async () => {
    const statuses: number[] = [];
    const waits: number[] = [];
    const send = async () => {
      const res = await api.get("/user");
      statuses.push(res.status);
      if (res.status === 429) {
        waits.push(Number(res.headers.get("retry-after")));
        expect(res.body.message).toMatch(/Retry after \d+ seconds/);
        expect(res.headers.get("ratelimit")).toMatch(/r=0;/);
      }
    };
    for (let i = 0; i < 6; i++) await send();
    // Past the grace after the first 429: from now on the client has been told to wait.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    for (let i = 0; i < 4; i++) await send();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    expect(waits[0]).toBeGreaterThanOrEqual(1);
    expect(waits.slice(0, 3).every((w) => w <= 30)).toBe(true);
    expect(waits.slice(3)).toEqual([60, 120]);
  });

  it("limits requests without a token per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.get("/user", { token: null })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
