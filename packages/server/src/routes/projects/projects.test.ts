import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { startServerProcess, type TestServer } from "../../test-support/server-process.js";

describe.each(BACKENDS)("projects and current user on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("GET /user returns the bare current user", async () => {
    const res = await api.get("/user");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 1,
      name: "Administrator",
      timezone: "UTC",
      date_format: "Y-m-d",
      time_format: "H:i",
    });
  });

  it("GET /projects lists the first project in a page envelope", async () => {
    const res = await api.get("/projects?expands=users");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      page: 1,
      prev_page: null,
      next_page: null,
      last_page: 1,
      per_page: 100,
      total: 1,
    });
    expect(res.body.result[0]).toMatchObject({
      id: 1,
      name: "First project",
      is_completed: false,
      automation_run_count: 0,
    });
    expect(res.body.expands.users).toEqual([{ id: 1, name: "Administrator" }]);
  });

  it("GET /projects/{id} wraps the project in result, 404 for an unknown one", async () => {
    expect((await api.get("/projects/1")).body.result.id).toBe(1);
    const missing = await api.get("/projects/999");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("999");
  });

  it("rejects unsupported list parameters with 422 naming the allowed values", async () => {
    const perPage = await api.get("/projects?per_page=10");
    expect(perPage.status).toBe(422);
    expect(perPage.body.errors.per_page[0]).toContain("15, 25, 50, 100");
    const sort = await api.get("/projects?sort=projects:name");
    expect(sort.status).toBe(422);
    expect(sort.body.errors.sort[0]).toContain("projects:created_at");
    const expands = await api.get("/projects?expands=milestones");
    expect(expands.status).toBe(422);
    expect(expands.body.errors.expands[0]).toContain("users");
  });

  it("returns an empty page with null page numbers past the data", async () => {
    const res = await api.get("/projects?is_completed=true");
    expect(res.body).toMatchObject({ page: null, last_page: null, total: 0, result: [] });
  });
});
