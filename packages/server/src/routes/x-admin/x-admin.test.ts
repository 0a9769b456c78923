import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, type RequestOptions } from "../../test-support/http.js";
import { createUserWithToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

/** `/api/v1/x/…`: Assay's management extension (not Testmo's API), administrators only. */
describe.each(BACKENDS)("x-admin extension on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  const put = (path: string, body: unknown, options: RequestOptions = {}) =>
    api.request("PUT", path, { ...options, body });

  it("POST /x/users creates a user and, on request, a token that works", async () => {
    const res = await api.post("/x/users", {
      email: "ci@example.com",
      name: "CI bot",
      role: "tester",
      is_api: true,
      token_name: "CI",
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 2, token: expect.any(String) });
    const me = await api.get("/user", { token: res.body.token });
    expect(me.body).toMatchObject({ id: 2, name: "CI bot" });
    const user = await api.get("/users/2");
    expect(user.body.result).toMatchObject({ is_api: true, role_id: 3, created_by: 1 });
    const plain = await api.post("/x/users", { email: "plain@example.com", name: "Plain" });
    expect(plain.body).toEqual({ id: 3 });
    expect((await api.get("/users/3")).body.result.role_id).toBe(3);
  });

  it("POST /x/users rejects a duplicate e-mail, an unknown role and unknown fields with 422", async () => {
    const dup = await api.post("/x/users", { email: "ci@example.com", name: "Again" });
    expect(dup.status).toBe(422);
    expect(dup.body.errors.email[0]).toContain("already exists");
    expect((await api.post("/x/users", { email: "x@example.com", name: "X", role: "boss" })).status).toBe(422);
    expect((await api.post("/x/users", { email: "x@example.com", name: "X", admin: true })).status).toBe(422);
    expect((await api.post("/x/users", { email: "not-an-email", name: "X" })).status).toBe(422);
  });

  it("POST /x/groups and /x/groups/{id}/members build groups", async () => {
    const created = await api.post("/x/groups", { name: "QA", members: [2] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 1 });
    const added = await api.post("/x/groups/1/members", { user_ids: [3, 2] });
    expect(added.status).toBe(204);
    expect((await api.get("/groups/1")).body.result.members).toEqual([2, 3]);
    expect((await api.post("/x/groups", { name: "QA" })).body.message).toContain("already exists");
    expect((await api.post("/x/groups/9/members", { user_ids: [2] })).status).toBe(404);
    const unknown = await api.post("/x/groups/1/members", { user_ids: [99] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.user_ids[0]).toContain("User 99 does not exist");
    expect((await api.post("/x/groups/1/members", { user_ids: [] })).status).toBe(422);
  });

  it("PUT /x/projects/{id}/access sets user, group and default overrides", async () => {
    const users = async () => (await api.get("/projects/1/users")).body.result.map((u: { id: number }) => u.id);
    expect(await users()).toEqual([1, 2, 3]);
    expect((await put("/x/projects/1/access", { default: true, role: null })).status).toBe(204);
    expect(await users()).toEqual([1]);
    await put("/x/projects/1/access", { group_id: 1, role: "read-only" });
    expect(await users()).toEqual([1, 2, 3]);
    await put("/x/projects/1/access", { user_id: 3, role: null });
    expect(await users()).toEqual([1, 2]);
    await put("/x/projects/1/access", { user_id: 3, role: "global" });
    expect(await users()).toEqual([1, 2, 3]);
  });

  it("PUT /x/projects/{id}/access needs exactly one existing target", async () => {
    const none = await put("/x/projects/1/access", { role: "tester" });
    expect(none.status).toBe(422);
    expect(none.body.message).toContain("exactly one target");
    expect((await put("/x/projects/1/access", { user_id: 2, group_id: 1, role: "tester" })).status).toBe(422);
    expect((await put("/x/projects/1/access", { user_id: 99, role: "tester" })).body.message).toContain(
      "User 99 does not exist",
    );
    expect((await put("/x/projects/99/access", { user_id: 2, role: "tester" })).status).toBe(404);
    expect((await put("/x/projects/1/access", { user_id: 2 })).status).toBe(422);
  });

  it("answers 403 to everyone but administrators, even project managers", async () => {
    const manager = await createUserWithToken(server, "pm@example.com", "project-manager");
    const calls = [
      api.post("/x/users", { email: "y@example.com", name: "Y" }, { token: manager }),
      api.post("/x/groups", { name: "PMs" }, { token: manager }),
      api.post("/x/groups/1/members", { user_ids: [2] }, { token: manager }),
      put("/x/projects/1/access", { default: true, role: "tester" }, { token: manager }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect(res.body.message).toContain("Only administrators");
    }
    expect((await api.post("/x/groups", { name: "Z" }, { token: null })).status).toBe(401);
  });
});
