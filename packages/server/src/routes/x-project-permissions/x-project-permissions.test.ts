import { PERMISSION_NAMES } from "@assay/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Permission } from "../../services/permissions.js";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createOutsiderToken,
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

it("names the permission bits in the server's bit order", () => {
  const bits = Object.values(Permission);
  expect(PERMISSION_NAMES.map((_, bit) => 1 << bit)).toEqual(bits);
});

describe.each(BACKENDS)("GET /x/projects/{id}/permissions on %s", (backend) => {
  let server: TestServer;
  let project: number;
  const as = (token: string) => new ApiClient(server.url, token);

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    project = Number((await runServerCommand(server, ["project", "create", "--name", "Permissions"])).trim());
  });
  afterAll(() => server?.stop());

  it("gives an administrator every permission", async () => {
    const response = await as(server.token).get(`/x/projects/${project}/permissions`);
    expect(response.status).toBe(200);
    expect(response.body.result).toEqual({ project_id: project, permissions: 127, allowed: [...PERMISSION_NAMES] });
  });

  it("applies the project override over the user's global role", async () => {
    const token = await createUserWithToken(server, "reader@example.com", "tester");
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      String(project),
      "--email",
      "reader@example.com",
      "--role",
      "read-only",
    ]);
    const reader = as(token);
    expect((await reader.get(`/x/projects/${project}/permissions`)).body.result).toEqual({
      project_id: project,
      permissions: 1,
      allowed: ["view"],
    });
    // Elsewhere the global role (tester) applies.
    expect((await reader.get("/x/projects/1/permissions")).body.result.allowed).toEqual([
      "view",
      "automation",
      "results",
      "repository",
    ]);
  });

  it("answers 403 without access and 404 for an unknown project, like any read of it", async () => {
    const outsider = as(await createOutsiderToken(server, "outsider@example.com", project));
    const denied = await outsider.get(`/x/projects/${project}/permissions`);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/do not have access to project/);
    const unknown = await as(server.token).get("/x/projects/999999/permissions");
    expect(unknown.status).toBe(404);
    expect((await new ApiClient(server.url, "wrong").get(`/x/projects/${project}/permissions`)).status).toBe(401);
  });
});
