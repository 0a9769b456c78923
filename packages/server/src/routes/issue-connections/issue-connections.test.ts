import { ConnectionPage } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssueIntegration } from "../../services/repository.js";
import { openStorage, type Storage } from "../../storage/db.js";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { createUserWithToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

describe.each(BACKENDS)("issue connections on %s", (backend) => {
  let server: TestServer;
  let storage: Storage;
  let api: ApiClient;
  let custom: number;
  let github: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    storage = openStorage({ databaseUrl: server.env.ASSAY_DATABASE_URL || null, dataDir: server.dataDir });
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  it("answers an empty page with a message before any integration exists", async () => {
    const res = await api.get("/issues/connections");
    expect(res.status).toBe(200);
    expect(Value.Check(ConnectionPage, res.body)).toBe(true);
    expect(res.body).toMatchObject({ page: null, total: 0, result: [] });
    expect(res.body.message).toContain("No issue integration");
    expect(res.body.expands).toBeUndefined();
  });

  it("lists one row per integration × external project; Custom has null connection fields", async () => {
    custom = (await createIssueIntegration(storage.db, { type: 1, name: "Tracker" })).id;
    github = (
      await createIssueIntegration(storage.db, {
        type: 2,
        name: "GitHub",
        connections: [{ name: "acme", projects: [{ name: "acme/shop" }, { name: "acme/api" }] }],
      })
    ).id;
    await createIssueIntegration(storage.db, { type: 4, name: "Old Jira", is_active: false });
    const res = await api.get("/issues/connections?sort=integrations:name&order=asc");
    expect(res.status).toBe(200);
    expect(Value.Check(ConnectionPage, res.body)).toBe(true);
    expect(res.body.total).toBe(4);
    expect(res.body.message).toBeUndefined();
    expect(res.body.result.map((c: { integration_name: string }) => c.integration_name)).toEqual([
      "GitHub",
      "GitHub",
      "Old Jira",
      "Tracker",
    ]);
    expect(res.body.result[0]).toMatchObject({
      integration_id: github,
      integration_type: 2,
      connection_name: "acme",
      connection_project_name: "acme/shop",
      is_active: true,
    });
    expect(res.body.result[3]).toMatchObject({
      integration_id: custom,
      connection_id: null,
      connection_name: null,
      connection_project_id: null,
      connection_project_name: null,
    });
  });

  it("filters by every parameter", async () => {
    const count = async (query: string) => (await api.get(`/issues/connections?${query}`)).body.total;
    expect(await count(`integration_id=${github},${custom}`)).toBe(3);
    expect(await count("integration_name=hub")).toBe(2);
    expect(await count("integration_type=1,4")).toBe(2);
    expect(await count("is_active=false")).toBe(1);
    expect(await count("is_active=1")).toBe(3);
    expect(await count("connection_name=ACME")).toBe(2);
    expect(await count("connection_project_name=api")).toBe(1);
    const shop = (await api.get("/issues/connections?connection_project_name=shop")).body.result[0];
    expect(await count(`connection_project_id=${shop.connection_project_id}`)).toBe(1);
    expect(await count(`connection_id=${shop.connection_id}`)).toBe(2);
    const past = await api.get("/issues/connections?per_page=15&page=3");
    expect(past.body).toMatchObject({ total: 4, result: [] });
    expect(past.body.message).toContain("past the last page");
  });

  it("rejects unknown sort, per_page and malformed filters with 422; needs a token", async () => {
    const sort = await api.get("/issues/connections?sort=name");
    expect(sort.status).toBe(422);
    expect(sort.body.errors.sort[0]).toContain("integrations:created_at");
    expect((await api.get("/issues/connections?per_page=5")).status).toBe(422);
    expect((await api.get("/issues/connections?integration_type=7")).status).toBe(422);
    expect((await api.get("/issues/connections?is_active=yes")).status).toBe(422);
    expect((await api.get("/issues/connections", { token: null })).status).toBe(401);
    const reader = api.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    expect((await reader.get("/issues/connections")).status).toBe(200);
  });
});
