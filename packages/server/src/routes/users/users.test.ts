import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

describe.each(BACKENDS)("users on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let tester: string;
  let loner: string;
  let projectB: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    tester = await createUserWithToken(server, "tess@example.com", "tester"); // user 2
    loner = await createUserWithToken(server, "lone@example.com", "tester"); // user 3
    projectB = Number(await runServerCommand(server, ["project", "create", "--name", "B"]));
    // The loner works only in project B; the tester only in project 1.
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      "1",
      "--email",
      "lone@example.com",
      "--role",
      "none",
    ]);
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      String(projectB),
      "--email",
      "tess@example.com",
      "--role",
      "none",
    ]);
    const group = (await runServerCommand(server, ["group", "create", "--name", "QA"])).trim();
    await runServerCommand(server, ["group", "add-member", "--group", group, "--email", "tess@example.com"]);
  });
  afterAll(() => server?.stop());

  it("GET /users lists every user for an administrator, with expands", async () => {
    const res = await api.get("/users?expands=groups,roles,users");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      page: 1,
      prev_page: null,
      next_page: null,
      last_page: 1,
      per_page: 100,
      total: 3,
    });
    const tess = res.body.result.find((u: { email: string }) => u.email === "tess@example.com");
    expect(tess).toMatchObject({
      id: 2,
      name: "tess@example.com",
      type: 1,
      notifications: 1,
      tfa_enabled: false,
      is_active: true,
      is_forgotten: false,
      is_api: false,
      role_id: 3,
      groups: [1],
      updated_at: null,
      updated_by: null,
    });
    expect(typeof tess.created_at).toBe("string");
    expect(res.body.expands.groups).toEqual([{ id: 1, name: "QA" }]);
    expect(res.body.expands.roles).toEqual([
      { id: 1, name: "Administrator" },
      { id: 3, name: "Tester" },
    ]);
    expect(Array.isArray(res.body.expands.users)).toBe(true);
  });

  it("GET /users pages with per_page and rejects unknown expands and page sizes", async () => {
    const page = await api.get("/users?per_page=15&page=2");
    expect(page.body).toMatchObject({ page: 2, prev_page: 1, next_page: null, last_page: 1, total: 3, result: [] });
    const expands = await api.get("/users?expands=projects");
    expect(expands.status).toBe(422);
    expect(expands.body.errors.expands[0]).toContain("groups, roles, users");
    expect((await api.get("/users?per_page=7")).status).toBe(422);
  });

  it("a non-administrator sees only themselves and the users of projects they can view", async () => {
    const mine = await api.get("/users", { token: tester });
    expect(mine.body.result.map((u: { id: number }) => u.id)).toEqual([1, 2]);
    const lonely = await api.get("/users", { token: loner });
    expect(lonely.body.result.map((u: { id: number }) => u.id)).toEqual([1, 3]);
  });

  it("GET /users/{id} returns one user; 403 for a user sharing no project, 404 for an unknown one", async () => {
    const res = await api.get("/users/2?expands=groups");
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ id: 2, email: "tess@example.com", groups: [1] });
    expect(res.body.expands).toEqual({ groups: [{ id: 1, name: "QA" }] });
    expect((await api.get("/users/2", { token: tester })).status).toBe(200);
    const hidden = await api.get("/users/3", { token: tester });
    expect(hidden.status).toBe(403);
    expect(hidden.body.message).toContain("share no project");
    const missing = await api.get("/users/999");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("User 999");
    expect((await api.get("/users/abc")).status).toBe(422);
    expect((await api.get("/users/2?expands=nope")).status).toBe(422);
  });

  it("401 without a token", async () => {
    expect((await api.get("/users", { token: null })).status).toBe(401);
    expect((await api.get("/users/1", { token: null })).status).toBe(401);
  });
});
