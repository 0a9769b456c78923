import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { createUserWithToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

/** `PATCH /api/v1/x/users/{id}` (Assay's extension): name, role, deactivation, and the last administrator. */
describe.each(BACKENDS)("x-users on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  const patch = (path: string, body: unknown, token?: string) => api.request("PATCH", path, { body, token });

  /** A new user who set a password through an invite; their id and session cookie. */
  async function signedInUser(email: string) {
    const invite = await api.post("/x/invites", { email, name: "Signed in" });
    const token = invite.body.result.url.split("/").at(-1);
    const set = await api.post("/x/auth/password", { token, password: "a long enough password" }, { token: null });
    expect(set.status).toBe(200);
    const cookie = String(set.headers.get("set-cookie")).split(";")[0]!;
    return { id: invite.body.result.user_id as number, cookie };
  }

  it("renames a user and changes their role", async () => {
    const created = await api.post("/x/users", { email: "rename@example.com", name: "Old name" });
    const res = await patch(`/x/users/${created.body.id}`, { name: "New name", role: "project-manager" });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ id: created.body.id, name: "New name", role_id: 2, updated_by: 1 });
    expect((await api.get(`/users/${created.body.id}`)).body.result.name).toBe("New name");
  });

  it("deactivating ends the user's sessions and their token gets 401; reactivating lets the token in again", async () => {
    const { id, cookie } = await signedInUser("leaver@example.com");
    const session = () => api.get("/x/auth/session", { token: null, headers: { cookie } });
    expect((await session()).status).toBe(200);
    const bot = await api.post("/x/users", { email: "bot@example.com", name: "Bot", is_api: true, token_name: "ci" });
    expect((await api.get("/user", { token: bot.body.token })).status).toBe(200);

    const off = await patch(`/x/users/${id}`, { is_active: false });
    expect(off.status).toBe(200);
    expect(off.body.result.is_active).toBe(false);
    expect((await session()).status).toBe(401);
    await patch(`/x/users/${bot.body.id}`, { is_active: false });
    expect((await api.get("/user", { token: bot.body.token })).status).toBe(401);

    expect((await patch(`/x/users/${bot.body.id}`, { is_active: true })).status).toBe(200);
    expect((await api.get("/user", { token: bot.body.token })).status).toBe(200);
  });

  it("keeps the last active administrator: no demotion, no deactivation (422 saying why)", async () => {
    const demote = await patch("/x/users/1", { role: "tester" });
    expect(demote.status).toBe(422);
    expect(demote.body.errors.role[0]).toContain("last active administrator");
    const deactivate = await patch("/x/users/1", { is_active: false });
    expect(deactivate.status).toBe(422);
    expect(deactivate.body.errors.is_active[0]).toContain("Make another user an administrator first");
    expect((await api.get("/users/1")).body.result).toMatchObject({ role_id: 1, is_active: true });

    const second = await api.post("/x/users", {
      email: "admin2@example.com",
      name: "Second admin",
      role: "administrator",
      token_name: "admin",
    });
    const demoted = await patch("/x/users/1", { role: "tester", name: "Former admin" });
    expect(demoted.status).toBe(200);
    // the second is now the last one: refused, and the rejected request changed nothing
    const refused = await patch(`/x/users/${second.body.id}`, { is_active: false, name: "Changed" }, second.body.token);
    expect(refused.status).toBe(422);
    const kept = await api.get(`/users/${second.body.id}`, { token: second.body.token });
    expect(kept.body.result).toMatchObject({ name: "Second admin", is_active: true });
    expect((await patch("/x/users/1", { role: "administrator" }, second.body.token)).status).toBe(200);
  });

  it("refuses to let administrators deactivate themselves (422: ask another administrator), changing nothing", async () => {
    const other = await createUserWithToken(server, "self-admin@example.com", "administrator");
    const selfId = (await api.get("/user", { token: other })).body.id as number;
    const refused = await patch(`/x/users/${selfId}`, { is_active: false, name: "Gone" }, other);
    expect(refused.status).toBe(422);
    expect(refused.body.errors.is_active[0]).toContain("Ask another administrator");
    expect((await api.get(`/users/${selfId}`)).body.result).toMatchObject({
      is_active: true,
      name: "self-admin@example.com",
    });
    // another administrator may, and the caller may still change their own name
    expect((await patch(`/x/users/${selfId}`, { name: "Renamed self" }, other)).status).toBe(200);
    expect((await patch(`/x/users/${selfId}`, { is_active: false })).status).toBe(200);
  });

  it("rejects unknown users (404), empty or unknown fields (422) and non-administrators (403)", async () => {
    expect((await patch("/x/users/999", { name: "X" })).status).toBe(404);
    expect((await patch("/x/users/2", {})).status).toBe(422);
    expect((await patch("/x/users/2", { name: "  " })).status).toBe(422);
    expect((await patch("/x/users/2", { role: "boss" })).status).toBe(422);
    expect((await patch("/x/users/2", { email: "x@example.com" })).status).toBe(422);
    const manager = await createUserWithToken(server, "pm@example.com", "project-manager");
    const forbidden = await patch("/x/users/2", { name: "X" }, manager);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain("Only administrators");
  });

  it("two administrators demoting each other at the same moment: one change wins, the other is refused", async () => {
    const a = await createUserWithToken(server, "race-a@example.com", "administrator");
    const b = await createUserWithToken(server, "race-b@example.com", "administrator");
    const idOf = async (token: string) => (await api.get("/user", { token })).body.id as number;
    const [aId, bId] = [await idOf(a), await idOf(b)];
    // leave a and b as the only active administrators
    const users = (await api.get("/users?per_page=100", { token: a })).body.result as { id: number; role_id: number }[];
    const adminRoleId = users.find((user) => user.id === aId)!.role_id;
    for (const user of users) {
      if (user.id !== aId && user.id !== bId && user.role_id === adminRoleId) {
        expect((await patch(`/x/users/${user.id}`, { role: "tester" }, a)).status).toBe(200);
      }
    }
    const results = await Promise.all([
      patch(`/x/users/${bId}`, { role: "tester" }, a),
      patch(`/x/users/${aId}`, { role: "tester" }, b),
    ]);
    // the loser is refused either as the last administrator (422) or, once the winner's change is
    // in, as no longer an administrator at all (403)
    const statuses = results.map((res) => res.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 422]).toContain(statuses[1]);
    const after = (await api.get("/users?per_page=100", { token: results[0]!.status === 200 ? a : b })).body.result as {
      is_active: boolean;
      role_id: number;
    }[];
    expect(after.filter((user) => user.is_active && user.role_id === adminRoleId)).toHaveLength(1);
  });
});
