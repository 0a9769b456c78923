import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

/** Users with access to a project follow the effective-permission rules. */
describe.each(BACKENDS)("project users on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let tester: string;
  let project: string;

  const access = (...args: string[]) => runServerCommand(server, ["project", "access", "--project", project, ...args]);
  const ids = async () => (await api.get(`/projects/${project}/users`)).body.result.map((u: { id: number }) => u.id);

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    tester = await createUserWithToken(server, "t@example.com", "tester"); // 2
    await createUserWithToken(server, "r@example.com", "read-only"); // 3
    await createUserWithToken(server, "g@example.com", "tester"); // 4
    project = (await runServerCommand(server, ["project", "create", "--name", "P"])).trim();
    await runServerCommand(server, ["group", "create", "--name", "G"]);
    await runServerCommand(server, ["group", "add-member", "--group", "1", "--email", "g@example.com"]);
  });
  afterAll(() => server?.stop());

  it("lists {id, name} of everyone whose global role gives access, without expands", async () => {
    const res = await api.get(`/projects/${project}/users`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      page: 1,
      prev_page: null,
      next_page: null,
      last_page: 1,
      per_page: 100,
      total: 4,
      result: [
        { id: 1, name: "Administrator" },
        { id: 2, name: "t@example.com" },
        { id: 3, name: "r@example.com" },
        { id: 4, name: "g@example.com" },
      ],
    });
  });

  it("applies user override > group overrides > project default > global role", async () => {
    await access("--default", "--role", "none");
    expect(await ids()).toEqual([1]); // administrators always have access
    await access("--group", "1", "--role", "read-only");
    expect(await ids()).toEqual([1, 4]);
    await access("--email", "t@example.com", "--role", "tester");
    expect(await ids()).toEqual([1, 2, 4]);
    await access("--email", "g@example.com", "--role", "none"); // a user override beats the group's
    expect(await ids()).toEqual([1, 2]);
    await access("--email", "g@example.com", "--role", "global");
    await access("--group", "1", "--role", "global");
    await access("--default", "--role", "global");
    expect(await ids()).toEqual([1, 2, 3, 4]);
  });

  it("needs access to the project: 403 without, 404 for an unknown project, 422 for bad paging", async () => {
    await access("--email", "t@example.com", "--role", "none");
    const forbidden = await api.get(`/projects/${project}/users`, { token: tester });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain(`project ${project}`);
    expect((await api.get("/projects/1/users", { token: tester })).status).toBe(200);
    expect((await api.get("/projects/999/users")).status).toBe(404);
    expect((await api.get(`/projects/${project}/users?per_page=3`)).status).toBe(422);
    const paged = await api.get(`/projects/${project}/users?per_page=15&page=2`);
    expect(paged.body).toMatchObject({ page: 2, prev_page: 1, next_page: null, total: 3, result: [] });
  });

  it("project access names exactly one target and a known role", async () => {
    await expect(access("--role", "tester")).rejects.toThrow("exactly one of --email, --group or --default");
    await expect(access("--default", "--role", "boss")).rejects.toThrow('Unknown role "boss"');
    await expect(access("--group", "7", "--role", "tester")).rejects.toThrow("Group 7 does not exist");
  });
});
