import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { createUserWithToken, startServerProcess, type TestServer } from "../../test-support/server-process.js";

const GITHUB = 2;
const CUSTOM = 1;

/** `/api/v1/x/issue-integrations` (Assay's extension): administrators create, edit and delete issue trackers. */
describe.each(BACKENDS)("x-issue-integrations on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  const connections = async (integrationId: number) =>
    (await api.get(`/issues/connections?integration_id=${integrationId}`)).body.result;

  it("creates a GitHub tracker with its projects; Testmo's connections list shows it", async () => {
    const created = await api.post("/x/issue-integrations", {
      type: GITHUB,
      name: " Acme GitHub ",
      connections: [{ name: "acme", projects: [{ name: "web" }, { name: "api", key: "API" }] }],
    });
    expect(created.status).toBe(201);
    const tracker = created.body.result;
    expect(tracker).toMatchObject({ type: GITHUB, name: "Acme GitHub", is_active: true, updated_at: null });
    expect(tracker.connections[0].projects.map((p: { name: string }) => p.name)).toEqual(["web", "api"]);
    expect(tracker.connections[0].projects[1].key).toBe("API");
    const rows = await connections(tracker.id);
    expect(rows.map((r: { connection_project_name: string }) => r.connection_project_name).sort()).toEqual([
      "api",
      "web",
    ]);
    // The new tracker is usable at once: an issue can be linked to a case by key.
    const project = tracker.connections[0].projects[0].id;
    const linked = await api.post("/projects/1/cases", {
      cases: [
        {
          name: "Linked",
          issues: [{ integration_id: tracker.id, connection_project_id: project, display_id: "42" }],
        },
      ],
    });
    expect(linked.status).toBe(201);
  });

  it("refuses a taken name, a GitHub tracker without connections and duplicate projects, naming each field", async () => {
    await api.post("/x/issue-integrations", { type: CUSTOM, name: "Taken" });
    const before = (await api.get("/issues/connections?per_page=100")).body.total;
    const refused = await api.post("/x/issue-integrations", { type: GITHUB, name: "taken" });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.name[0]).toContain('An issue tracker named "Taken" already exists');
    expect(refused.body.errors.connections[0]).toContain("needs at least one connection");
    const duplicate = await api.post("/x/issue-integrations", {
      type: GITHUB,
      name: "Dupes",
      connections: [{ name: "org", projects: [{ name: "web" }, { name: "Web" }] }],
    });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.errors["connections.0.projects.1.name"][0]).toContain('"Web" is already in this connection');
    const custom = await api.post("/x/issue-integrations", {
      type: CUSTOM,
      name: "Custom with connections",
      connections: [{ name: "org", projects: [{ name: "web" }] }],
    });
    expect(custom.status).toBe(422);
    expect(custom.body.errors.connections[0]).toContain("Custom issue trackers have no connections");
    const badType = await api.post("/x/issue-integrations", { type: 9, name: "Nine" });
    expect(badType.status).toBe(422);
    expect((await api.get("/issues/connections?per_page=100")).body.total).toBe(before);
  });

  it("renames, deactivates and adds connections and projects; a foreign connection is a 422", async () => {
    const tracker = (
      await api.post("/x/issue-integrations", {
        type: GITHUB,
        name: "Editable",
        connections: [{ name: "org", projects: [{ name: "one" }] }],
      })
    ).body.result;
    const other = (await api.post("/x/issue-integrations", { type: CUSTOM, name: "Other" })).body.result;
    const connectionId = tracker.connections[0].id;
    const patched = await api.request("PATCH", `/x/issue-integrations/${tracker.id}`, {
      body: {
        name: "Edited",
        is_active: false,
        add_connections: [{ name: "second-org", projects: [{ name: "three" }] }],
        add_projects: [{ connection_id: connectionId, name: "two" }],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.result).toMatchObject({ name: "Edited", is_active: false });
    expect(patched.body.result.updated_at).not.toBeNull();
    expect(patched.body.result.connections.map((c: { projects: unknown[] }) => c.projects.length)).toEqual([2, 1]);
    expect((await connections(tracker.id)).every((r: { is_active: boolean }) => !r.is_active)).toBe(true);

    const foreign = await api.request("PATCH", `/x/issue-integrations/${other.id}`, {
      body: { name: "Renamed", add_projects: [{ connection_id: connectionId, name: "x" }] },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors["add_projects.0.connection_id"][0]).toContain("does not belong");
    const clash = await api.request("PATCH", `/x/issue-integrations/${other.id}`, { body: { name: "edited" } });
    expect(clash.status).toBe(422);
    expect(clash.body.errors.name).toHaveLength(1);
    expect((await connections(other.id))[0].integration_name).toBe("Other");
    expect((await api.request("PATCH", "/x/issue-integrations/999999", { body: { name: "X" } })).status).toBe(404);
  });

  it("deletes an unused tracker; one with linked issues is kept and the 422 says to deactivate it", async () => {
    const unused = (await api.post("/x/issue-integrations", { type: CUSTOM, name: "Unused" })).body.result;
    expect((await api.request("DELETE", `/x/issue-integrations/${unused.id}`)).status).toBe(204);
    expect(await connections(unused.id)).toEqual([]);
    expect((await api.request("DELETE", `/x/issue-integrations/${unused.id}`)).status).toBe(404);

    const used = (await api.post("/x/issue-integrations", { type: CUSTOM, name: "Used" })).body.result;
    await api.post("/projects/1/cases", {
      cases: [{ name: "Uses it", issues: [{ integration_id: used.id, display_id: "T-1" }] }],
    });
    const refused = await api.request("DELETE", `/x/issue-integrations/${used.id}`);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain("Deactivate it instead");
    expect(await connections(used.id)).toHaveLength(1);
  });

  it("replays a create under the same Idempotency-Key instead of adding a second tracker", async () => {
    const headers = { "idempotency-key": `tracker-${backend}` };
    const body = { type: CUSTOM, name: "Once" };
    const first = await api.post("/x/issue-integrations", body, { headers });
    const again = await api.post("/x/issue-integrations", body, { headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await api.get("/issues/connections?integration_name=Once")).body.total).toBe(1);
  });

  it("answers 403 to non-administrators and changes nothing", async () => {
    const manager = await createUserWithToken(server, "pm@example.com", "project-manager");
    const kept = (await api.post("/x/issue-integrations", { type: CUSTOM, name: "Kept" })).body.result;
    const attempts = [
      ["POST", "/x/issue-integrations", { type: CUSTOM, name: "Sneaky" }],
      ["PATCH", `/x/issue-integrations/${kept.id}`, { name: "Sneaky" }],
      ["DELETE", `/x/issue-integrations/${kept.id}`, undefined],
    ] as const;
    for (const [method, path, body] of attempts) {
      const answer = await api.request(method, path, { body, token: manager });
      expect(answer.status).toBe(403);
      expect(answer.body.message).toContain("issue trackers");
    }
    expect((await connections(kept.id))[0].integration_name).toBe("Kept");
  });
});

/**
 * PostgreSQL: a tracker deleted while an issue is being linked to it. The test's own connection plays the other
 * transaction and holds it open at the moment of the race, until the server's request waits on its lock.
 */
describe.runIf(BACKENDS.includes("postgres"))(
  "x-issue-integrations: delete and link at the same moment (postgres)",
  () => {
    let server: TestServer;
    let api: ApiClient;
    let client: pg.Client;

    beforeAll(async () => {
      server = await startServerProcess({ backend: "postgres" });
      api = new ApiClient(server.url, server.token);
      client = new pg.Client({ connectionString: server.env.ASSAY_DATABASE_URL });
      await client.connect();
    });
    afterAll(async () => {
      await client?.end();
      await server?.stop();
    });

    /** Until a query of the server waits for a row lock held by this test's transaction. */
    async function serverWaitsForLock(): Promise<void> {
      for (let attempt = 0; attempt < 200; attempt++) {
        const { rows } = await client.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        );
        if (rows[0].n > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("the server's request never waited for the test's lock");
    }

    const createTracker = async (name: string): Promise<number> =>
      (await api.post("/x/issue-integrations", { type: CUSTOM, name })).body.result.id;

    it("a link that waits for a delete under way is a 422 saying the tracker does not exist, not a 500", async () => {
      const id = await createTracker("Going");
      await client.query("BEGIN");
      await client.query("SELECT id FROM issue_integrations WHERE id = $1 FOR UPDATE", [id]);
      const link = api.post("/projects/1/cases", {
        cases: [{ name: "Links the going tracker", issues: [{ integration_id: id, display_id: "T-9" }] }],
      });
      await serverWaitsForLock();
      await client.query("DELETE FROM issue_connections WHERE integration_id = $1", [id]);
      await client.query("DELETE FROM issue_integrations WHERE id = $1", [id]);
      await client.query("COMMIT");
      const answer = await link;
      expect(answer.status).toBe(422);
      expect(JSON.stringify(answer.body.errors)).toContain(`Issue integration ${id} does not exist`);
      const cases = await api.get("/projects/1/cases?per_page=100");
      expect(cases.body.result.map((c: { name: string }) => c.name)).not.toContain("Links the going tracker");
    });

    it("a delete that waits for a link under way sees the new issue and refuses (422), not a 500", async () => {
      const id = await createTracker("Staying");
      await client.query("BEGIN");
      await client.query("SELECT id FROM issue_integrations WHERE id = $1 FOR KEY SHARE", [id]);
      const deletion = api.request("DELETE", `/x/issue-integrations/${id}`);
      await serverWaitsForLock();
      await client.query(
        "INSERT INTO issues (integration_id, connection_project_id, display_id, created_at, created_by) VALUES ($1, NULL, 'T-10', $2, 1)",
        [id, new Date().toISOString()],
      );
      await client.query("COMMIT");
      const answer = await deletion;
      expect(answer.status).toBe(422);
      expect(answer.body.message).toContain("Deactivate it instead");
      expect((await api.get(`/issues/connections?integration_id=${id}`)).body.result).toHaveLength(1);
    });
  },
);
