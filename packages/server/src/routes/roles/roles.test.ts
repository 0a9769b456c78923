import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { createUserWithToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

describe.each(BACKENDS)("roles on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("GET /roles lists the four built-in roles with their permission bits", async () => {
    const res = await api.get("/roles?expands=users");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, last_page: 1, total: 4, per_page: 100, expands: { users: [] } });
    expect(res.body.result.map((r: { name: string }) => r.name)).toEqual([
      "Administrator",
      "Project manager",
      "Tester",
      "Read-only",
    ]);
    expect(res.body.result[0]).toMatchObject({ id: 1, permissions: 127, is_default: false, created_by: 0 });
    expect(res.body.result[2]).toMatchObject({ id: 3, permissions: 15, is_default: true });
    expect(res.body.result[3]).toMatchObject({ id: 4, permissions: 1, updated_at: null, updated_by: null });
  });

  it("GET /roles/{id} wraps the role; 404 for an unknown one, 422 for a bad expands", async () => {
    expect((await api.get("/roles/2")).body).toEqual({
      result: expect.objectContaining({ id: 2, name: "Project manager", permissions: 63 }),
      expands: {},
    });
    const missing = await api.get("/roles/42");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("Role 42");
    expect((await api.get("/roles/1?expands=groups")).status).toBe(422);
    expect((await api.get("/roles?per_page=20")).status).toBe(422);
  });

  it("every authenticated user may read the roles, even a read-only one", async () => {
    const reader = await createUserWithToken(server, "reader@example.com", "read-only");
    expect((await api.get("/roles", { token: reader })).body.total).toBe(4);
    expect((await api.get("/roles/1", { token: reader })).status).toBe(200);
    expect((await api.get("/roles", { token: null })).status).toBe(401);
  });
});
