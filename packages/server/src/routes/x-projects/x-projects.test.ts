import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { createUserWithToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

/** `/api/v1/x/projects…` (Assay's extension): create, rename, archive, and read access overrides. */
describe.each(BACKENDS)("x-projects on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("creates a project that Testmo's GET /projects/{id} then shows", async () => {
    const res = await api.post("/x/projects", { name: "  Mobile app ", note: "iOS and Android" });
    expect(res.status).toBe(201);
    expect(res.body.result).toMatchObject({
      name: "Mobile app",
      note: "iOS and Android",
      is_completed: false,
      created_by: 1,
    });
    expect((await api.get(`/projects/${res.body.result.id}`)).body.result.name).toBe("Mobile app");
    expect((await api.post("/x/projects", { name: "" })).status).toBe(422);
    expect((await api.post("/x/projects", { name: "X", archived: true })).status).toBe(422);
  });

  it("replays a repeated POST with the same Idempotency-Key and creates the project once", async () => {
    const key = { headers: { "idempotency-key": "create-project-1" } };
    const first = await api.post("/x/projects", { name: "Once" }, key);
    const again = await api.post("/x/projects", { name: "Once" }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const names = (await api.get("/projects")).body.result.map((p: { name: string }) => p.name);
    expect(names.filter((name: string) => name === "Once")).toHaveLength(1);
    expect((await api.post("/x/projects", { name: "Other" }, key)).status).toBe(422);
  });

  it("renames, archives and reopens a project", async () => {
    const id = (await api.post("/x/projects", { name: "Web" })).body.result.id;
    const patch = (body: unknown) => api.request("PATCH", `/x/projects/${id}`, { body });
    const renamed = await patch({ name: "Website", note: null });
    expect(renamed.status).toBe(200);
    expect(renamed.body.result).toMatchObject({ name: "Website", note: null, updated_by: 1 });
    const archived = await patch({ is_completed: true });
    expect(archived.body.result).toMatchObject({ is_completed: true, completed_at: expect.any(String) });
    const completed = await api.get("/projects?is_completed=1");
    expect(completed.body.result.map((p: { id: number }) => p.id)).toContain(id);
    const reopened = await patch({ is_completed: false });
    expect(reopened.body.result).toMatchObject({ is_completed: false, completed_at: null });
    expect((await patch({})).status).toBe(422);
    expect((await api.request("PATCH", "/x/projects/999", { body: { name: "X" } })).status).toBe(404);
  });

  it("reads a project's access overrides by user, group and default", async () => {
    const project = (await api.post("/x/projects", { name: "Access" })).body.result.id;
    const user = (await api.post("/x/users", { email: "ann@example.com", name: "Ann" })).body.id;
    const group = (await api.post("/x/groups", { name: "Readers" })).body.id;
    const empty = await api.get(`/x/projects/${project}/access`);
    expect(empty.body.result).toEqual({ project_id: project, default: null, users: [], groups: [] });
    const put = (body: unknown) => api.request("PUT", `/x/projects/${project}/access`, { body });
    await put({ default: true, role: null });
    await put({ user_id: user, role: "project-manager" });
    await put({ group_id: group, role: "read-only" });
    const access = await api.get(`/x/projects/${project}/access`);
    expect(access.body.result).toEqual({
      project_id: project,
      default: { role: null },
      users: [{ user_id: user, name: "Ann", role: "project-manager" }],
      groups: [{ group_id: group, name: "Readers", role: "read-only" }],
    });
    expect((await api.get("/x/projects/999/access")).status).toBe(404);
  });

  it("answers 403 to non-administrators and changes nothing", async () => {
    const manager = await createUserWithToken(server, "pm@example.com", "project-manager");
    expect((await api.post("/x/projects", { name: "Nope" }, { token: manager })).status).toBe(403);
    const rename = await api.request("PATCH", "/x/projects/1", { body: { name: "Nope" }, token: manager });
    expect(rename.status).toBe(403);
    expect(rename.body.message).toContain("Only administrators");
    expect((await api.get("/x/projects/1/access", { token: manager })).status).toBe(403);
    expect((await api.get("/projects/1")).body.result.name).not.toBe("Nope");
  });
});
