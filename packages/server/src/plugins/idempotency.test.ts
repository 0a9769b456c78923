import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient, makeTests } from "../test-support/http.js";
import { startServerProcess, type TestServer } from "../test-support/server-process.js";

describe.each(BACKENDS)("Idempotency-Key with concurrent duplicates on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("applies the request once; every duplicate gets its response with Idempotent-Replayed: true", async () => {
    const headers = { "idempotency-key": `concurrent-${backend}` };
    const body = { name: "concurrent duplicates", source: "idem" };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => api.post("/projects/1/automation/runs", body, { headers })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const replayed = answers.map((a) => a.headers.get("idempotent-replayed"));
    expect(replayed.filter((h) => h === null)).toHaveLength(1);
    expect(replayed.filter((h) => h === "true")).toHaveLength(11);
    const runs = await api.get("/projects/1/automation/runs?per_page=100");
    expect(runs.body.result.filter((r: { name: string }) => r.name === body.name)).toHaveLength(1);
  });

  it("answers concurrent duplicates of a bodiless-response request (204) the same way", async () => {
    const run = await api.post("/projects/1/automation/runs", { name: "append target", source: "idem" });
    const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
    const headers = { "idempotency-key": `append-${backend}` };
    const tests = makeTests(3);
    const append = `/automation/runs/threads/${thread.body.id}/append`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => api.post(append, { tests }, { headers })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(204));
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(7);
    expect((await api.post(`/automation/runs/${run.body.id}/complete`, {})).status).toBe(204);
    const after = await api.get(`/automation/runs/${run.body.id}`);
    expect(after.body.result.total_count).toBe(3);
  });
});
