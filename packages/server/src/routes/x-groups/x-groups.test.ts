import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { createUserWithToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

/** `/api/v1/x/groups/{id}` (Assay's extension): rename, delete, remove a member. */
describe.each(BACKENDS)("x-groups on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let alice: number;
  let bob: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    alice = (await api.post("/x/users", { email: "alice@example.com", name: "Alice" })).body.id;
    bob = (await api.post("/x/users", { email: "bob@example.com", name: "Bob" })).body.id;
  });
  afterAll(() => server?.stop());

  it("renames a group; a name another group has is a 422 on the name", async () => {
    const qa = (await api.post("/x/groups", { name: "QA" })).body.id;
    await api.post("/x/groups", { name: "Dev" });
    const renamed = await api.request("PATCH", `/x/groups/${qa}`, { body: { name: "Quality" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.result).toMatchObject({ id: qa, name: "Quality", updated_by: 1 });
    const clash = await api.request("PATCH", `/x/groups/${qa}`, { body: { name: "Dev" } });
    expect(clash.status).toBe(422);
    expect(clash.body.errors.name[0]).toContain('A group named "Dev" already exists');
    expect((await api.get(`/groups/${qa}`)).body.result.name).toBe("Quality");
    expect((await api.request("PATCH", "/x/groups/999", { body: { name: "X" } })).status).toBe(404);
  });

  it("removes one member; a user who is not a member is a 404", async () => {
    const group = (await api.post("/x/groups", { name: "Members", members: [alice, bob] })).body.id;
    expect((await api.request("DELETE", `/x/groups/${group}/members/${alice}`)).status).toBe(204);
    expect((await api.get(`/groups/${group}`)).body.result.members).toEqual([bob]);
    const again = await api.request("DELETE", `/x/groups/${group}/members/${alice}`);
    expect(again.status).toBe(404);
    expect(again.body.message).toContain("is not a member");
  });

  it("deletes a group with its memberships and its project access", async () => {
    const group = (await api.post("/x/groups", { name: "Doomed", members: [alice] })).body.id;
    await api.request("PUT", "/x/projects/1/access", { body: { group_id: group, role: "tester" } });
    expect((await api.get("/x/projects/1/access")).body.result.groups).toHaveLength(1);
    expect((await api.request("DELETE", `/x/groups/${group}`)).status).toBe(204);
    expect((await api.get(`/groups/${group}`)).status).toBe(404);
    expect((await api.get(`/users/${alice}`)).body.result.groups).not.toContain(group);
    expect((await api.get("/x/projects/1/access")).body.result.groups).toEqual([]);
    expect((await api.request("DELETE", `/x/groups/${group}`)).status).toBe(404);
  });

  it("answers 403 to non-administrators", async () => {
    const manager = await createUserWithToken(server, "pm@example.com", "project-manager");
    const group = (await api.post("/x/groups", { name: "Kept", members: [alice] })).body.id;
    for (const [method, path] of [
      ["PATCH", `/x/groups/${group}`],
      ["DELETE", `/x/groups/${group}`],
      ["DELETE", `/x/groups/${group}/members/${alice}`],
    ] as const) {
      const body = method === "PATCH" ? { name: "Taken" } : undefined;
      expect((await api.request(method, path, { body, token: manager })).status).toBe(403);
    }
    expect((await api.get(`/groups/${group}`)).body.result).toMatchObject({ name: "Kept", members: [alice] });
  });
});
