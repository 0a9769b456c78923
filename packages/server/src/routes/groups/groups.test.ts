import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

describe.each(BACKENDS)("groups on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let member: string;
  let outsider: string;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    member = await createUserWithToken(server, "member@example.com", "tester"); // user 2
    outsider = await createUserWithToken(server, "outsider@example.com", "tester"); // user 3
    expect((await runServerCommand(server, ["group", "create", "--name", "QA"])).trim()).toBe("1");
    expect((await runServerCommand(server, ["group", "create", "--name", "Ops"])).trim()).toBe("2");
    await runServerCommand(server, ["group", "add-member", "--group", "1", "--email", "member@example.com"]);
    // Adding twice is harmless.
    await runServerCommand(server, ["group", "add-member", "--group", "1", "--email", "member@example.com"]);
  });
  afterAll(() => server?.stop());

  it("GET /groups lists all groups for an administrator, with members and the users expand", async () => {
    const res = await api.get("/groups?expands=users");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, last_page: 1, total: 2, per_page: 100 });
    expect(res.body.result[0]).toMatchObject({ id: 1, name: "QA", members: [2], created_by: 0, updated_at: null });
    expect(res.body.result[1]).toMatchObject({ id: 2, name: "Ops", members: [] });
    expect(res.body.expands.users).toEqual([{ id: 2, name: "member@example.com" }]);
  });

  it("GET /groups/{id} wraps the group in result; 404 unknown, 422 bad expands", async () => {
    const res = await api.get("/groups/1");
    expect(res.body).toEqual({ result: expect.objectContaining({ id: 1, members: [2] }), expands: {} });
    const missing = await api.get("/groups/99");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("Group 99");
    const bad = await api.get("/groups/1?expands=roles");
    expect(bad.status).toBe(422);
    expect(bad.body.errors.expands[0]).toContain("users");
  });

  it("non-administrators see their own groups and groups with access to their projects", async () => {
    expect((await api.get("/groups", { token: member })).body.result.map((g: { id: number }) => g.id)).toEqual([1]);
    expect((await api.get("/groups", { token: outsider })).body).toMatchObject({ total: 0, page: null, result: [] });
    const forbidden = await api.get("/groups/1", { token: outsider });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain("not a member");
    await runServerCommand(server, ["project", "access", "--project", "1", "--group", "2", "--role", "tester"]);
    expect((await api.get("/groups/2", { token: outsider })).status).toBe(200);
  });

  it("the group commands explain their errors", async () => {
    await expect(runServerCommand(server, ["group", "create", "--name", "QA"])).rejects.toThrow("already exists");
    await expect(
      runServerCommand(server, ["group", "add-member", "--group", "9", "--email", "member@example.com"]),
    ).rejects.toThrow("Group 9 does not exist");
    await expect(
      runServerCommand(server, ["group", "add-member", "--group", "1", "--email", "nobody@example.com"]),
    ).rejects.toThrow("No user has the e-mail");
  });
});
