import { CaseResultList, Page, RepositoryCase } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssueIntegration } from "../../services/repository.js";
import { openStorage, type Storage } from "../../storage/db.js";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, makeTests } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

const CasePage = Page(RepositoryCase);

describe.each(BACKENDS)("repository cases on %s", (backend) => {
  let server: TestServer;
  let storage: Storage;
  let api: ApiClient;
  let readOnly: ApiClient;
  let otherProject: number;
  let folderId: number;
  let jira: number;
  let github: { id: number; repo: number };
  let automationCases: number[];

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    storage = openStorage({ databaseUrl: server.env.ASSAY_DATABASE_URL || null, dataDir: server.dataDir });
    readOnly = api.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    otherProject = Number((await runServerCommand(server, ["project", "create", "--name", "Other"])).trim());
    folderId = (await api.post("/projects/1/folders", { folders: [{ name: "Checkout" }] })).body.result[0].id;
    jira = (await createIssueIntegration(storage.db, { type: 4, name: "Jira" })).id;
    const gh = await createIssueIntegration(storage.db, {
      type: 2,
      name: "GitHub",
      connections: [{ name: "acme", projects: [{ name: "acme/shop", key: "shop" }] }],
    });
    github = { id: gh.id, repo: gh.projects[0]!.projectId };
    const run = await api.post("/projects/1/automation/runs", { name: "CI", source: "unit" });
    const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
    await api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests: makeTests(2) });
    automationCases = (await storage.db.selectFrom("automation_cases").select("id").orderBy("id").execute()).map(
      (r) => r.id,
    );
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  const create = (cases: unknown[], project = 1) => api.post(`/projects/${project}/cases`, { cases });

  it("creates cases: 201, per-project keys, defaults, tags, issues, links, custom fields", async () => {
    const res = await create([
      {
        name: "Pay by card",
        folder_id: folderId,
        estimate: 60_000_000,
        tags: ["smoke", "payments"],
        issues: [{ display_id: "SHOP-1", integration_id: jira }],
        automation_links: [automationCases[0]],
        custom_priority: 2,
        custom_steps: [{ content: "Open the cart", expected: "Cart is shown" }],
      },
      {
        name: "Pay by invoice",
        issues: [{ display_id: "42", integration_id: github.id, connection_project_id: github.repo }],
      },
    ]);
    expect(res.status).toBe(201);
    expect(Value.Check(CaseResultList, res.body)).toBe(true);
    const [card, invoice] = res.body.result;
    expect(card).toMatchObject({
      project_id: 1,
      repo_id: 1,
      key: 1,
      name: "Pay by card",
      folder_id: folderId,
      template_id: 1,
      state_id: 3,
      status_id: null,
      estimate: 60_000_000,
      has_automation: true,
      created_by: 1,
      updated_at: null,
      custom_priority: 2,
      custom_steps: [{ content: "Open the cart", expected: "Cart is shown" }],
    });
    expect(card.tags.map((t: { name: string }) => t.name).sort()).toEqual(["payments", "smoke"]);
    expect(card.issues).toEqual([
      { issue_id: expect.any(Number), display_id: "SHOP-1", integration_id: jira, connection_project_id: null },
    ]);
    expect(card.automation_links).toEqual([
      { name: "test 0", automation_source_id: expect.any(Number), automation_case_id: automationCases[0] },
    ]);
    expect(invoice).toMatchObject({ key: 2, folder_id: null, has_automation: false });
    expect(invoice.issues[0]).toMatchObject({ display_id: "42", connection_project_id: github.repo });
    // The same IssueInput finds the existing issue; an id refers to it directly.
    const again = await create([
      { name: "Refund", issues: [{ display_id: "SHOP-1", integration_id: jira }, card.issues[0].issue_id] },
    ]);
    expect(again.body.result[0].issues).toEqual([card.issues[0]]);
    expect(again.body.result[0].key).toBe(3);
    const other = await create([{ name: "Elsewhere" }], otherProject);
    expect(other.body.result[0].key).toBe(1);
  });

  it("lists with ids for relations, filters, sorting and every expand", async () => {
    const res = await api.get(
      "/projects/1/cases?expands=templates,folders,users,automation_links,tags,history,comments&sort=repository_cases:name&order=asc",
    );
    expect(res.status).toBe(200);
    expect(Value.Check(CasePage, res.body)).toBe(true);
    expect(res.body.result.map((c: { name: string }) => c.name)).toEqual(["Pay by card", "Pay by invoice", "Refund"]);
    const card = res.body.result[0];
    expect(card.automation_links).toEqual([automationCases[0]]);
    expect(card.tags).toHaveLength(2);
    expect(card.custom_priority).toBe(2);
    expect(res.body.expands).toMatchObject({
      templates: [{ id: 1, name: "Steps", is_default: true }],
      folders: [{ id: folderId, name: "Checkout" }],
      users: [{ id: 1, name: "Administrator" }],
      automation_links: [{ automation_case_id: automationCases[0], name: "test 0" }],
      history: [],
      comments: [],
    });
    expect(res.body.expands.tags.map((t: { name: string }) => t.name).sort()).toEqual(["payments", "smoke"]);
    const inFolder = await api.get(`/projects/1/cases?folder_id=${folderId}`);
    expect(inFolder.body.total).toBe(1);
    expect((await api.get("/projects/1/cases?has_automation=true")).body.total).toBe(1);
    expect((await api.get("/projects/1/cases?has_automation=0")).body.total).toBe(2);
    expect((await api.get("/projects/1/cases?has_automation_status=true")).body.total).toBe(0);
    expect((await api.get("/projects/1/cases?state_id=3&template_id=1&created_by=1")).body.total).toBe(3);
    expect((await api.get("/projects/1/cases?created_after=2999-01-01T00:00:00.000Z")).body.total).toBe(0);
    expect((await api.get("/projects/1/cases?created_before=2999-01-01T00:00:00Z")).body.total).toBe(3);
    const newest = await api.get("/projects/1/cases?per_page=15");
    expect(newest.body.result[0].name).toBe("Refund");
  });

  it("rejects unknown sort, expands, per_page and malformed filters with 422", async () => {
    const sort = await api.get("/projects/1/cases?sort=repository_cases:key");
    expect(sort.status).toBe(422);
    expect(sort.body.errors.sort[0]).toContain("repository_cases:name");
    const expands = await api.get("/projects/1/cases?expands=issues");
    expect(expands.status).toBe(422);
    expect(expands.body.errors.expands[0]).toContain("automation_links");
    expect((await api.get("/projects/1/cases?per_page=10")).status).toBe(422);
    expect((await api.get("/projects/1/cases?folder_id=a")).status).toBe(422);
    expect((await api.get("/projects/1/cases?has_automation=maybe")).status).toBe(422);
    expect((await api.get("/projects/999/cases")).status).toBe(404);
  });

  it("rejects invalid creates as a whole, naming the case and field", async () => {
    const before = (await api.get("/projects/1/cases")).body.total;
    const res = await create([
      { name: "fine" },
      {
        name: "broken",
        folder_id: 99999,
        template_id: 99,
        state_id: 99,
        automation_links: [99999],
        issues: [99999, { display_id: "1", integration_id: 999 }, { display_id: "1", integration_id: github.id }],
      },
    ]);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual([
      "cases.1.automation_links.0",
      "cases.1.folder_id",
      "cases.1.issues.0",
      "cases.1.issues.1.integration_id",
      "cases.1.issues.2.connection_project_id",
      "cases.1.state_id",
      "cases.1.template_id",
    ]);
    expect((await api.get("/projects/1/cases")).body.total).toBe(before);
    expect((await create([])).status).toBe(422);
    expect((await create([{}])).status).toBe(422);
    expect((await create([{ name: "x", estimate: "1h" }])).status).toBe(422);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ name: `c${i}` }));
    const limit = await create(tooMany);
    expect(limit.status).toBe(422);
    expect(limit.body.message).toContain("100");
    // A folder of another project is not a valid reference.
    expect((await create([{ name: "x", folder_id: folderId }], otherProject)).status).toBe(422);
  });

  it("updates all listed cases: 200, replaces relations, merges custom fields, sets status", async () => {
    const list = (await api.get("/projects/1/cases?sort=repository_cases:name&order=asc")).body.result;
    const ids = list.slice(0, 2).map((c: { id: number }) => c.id);
    const res = await api.request("PATCH", "/projects/1/cases", {
      body: {
        ids,
        state_id: 2,
        status_id: 2,
        tags: ["regression"],
        automation_links: [automationCases[1]],
        issues: [],
        custom_owner: "sam",
      },
    });
    expect(res.status).toBe(200);
    expect(Value.Check(CaseResultList, res.body)).toBe(true);
    expect(res.body.result.map((c: { id: number }) => c.id)).toEqual(ids);
    for (const c of res.body.result) {
      expect(c).toMatchObject({ state_id: 2, status_id: 2, updated_by: 1, custom_owner: "sam", issues: [] });
      expect(c.tags.map((t: { name: string }) => t.name)).toEqual(["regression"]);
      expect(c.automation_links[0].automation_case_id).toBe(automationCases[1]);
      expect(c.status_at).toEqual(expect.any(String));
    }
    expect(res.body.result[0].custom_priority).toBe(2);
    const moved = await api.request("PATCH", "/projects/1/cases", { body: { ids: [ids[0]], folder_id: null } });
    expect(moved.body.result[0].folder_id).toBeNull();
  });

  it("rejects invalid updates with 404/422 and changes nothing", async () => {
    const id = (await api.get("/projects/1/cases")).body.result[0].id;
    const missing = await api.request("PATCH", "/projects/1/cases", { body: { ids: [id, 99999], name: "x" } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("99999");
    const foreign = await api.request("PATCH", `/projects/${otherProject}/cases`, { body: { ids: [id], name: "x" } });
    expect(foreign.status).toBe(404);
    const status = await api.request("PATCH", "/projects/1/cases", { body: { ids: [id], status_id: 77 } });
    expect(status.status).toBe(422);
    expect(status.body.errors.status_id[0]).toContain("77");
    expect((await api.request("PATCH", "/projects/1/cases", { body: { name: "x" } })).status).toBe(422);
    expect((await api.request("PATCH", "/projects/1/cases", { body: { ids: [] } })).status).toBe(422);
    expect((await api.get("/projects/1/cases")).body.result[0].name).not.toBe("x");
  });

  it("enforces permissions: read-only reads, cannot write; no token is 401", async () => {
    expect((await readOnly.get("/projects/1/cases")).status).toBe(200);
    expect((await readOnly.post("/projects/1/cases", { cases: [{ name: "no" }] })).status).toBe(403);
    expect((await readOnly.request("PATCH", "/projects/1/cases", { body: { ids: [1], name: "no" } })).status).toBe(403);
    expect((await readOnly.request("DELETE", "/projects/1/cases", { body: { ids: [1] } })).status).toBe(403);
    expect((await api.get("/projects/1/cases", { token: null })).status).toBe(401);
  });

  it("replays a create under the same Idempotency-Key", async () => {
    const headers = { "idempotency-key": `cases-${backend}` };
    const first = await api.post("/projects/1/cases", { cases: [{ name: "Once" }] }, { headers });
    const again = await api.post("/projects/1/cases", { cases: [{ name: "Once" }] }, { headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await api.post("/projects/1/cases", { cases: [{ name: "Twice" }] }, { headers });
    expect(other.status).toBe(422);
  });

  it("deletes cases: 204, no body; unknown ids 404; deleting a folder deletes its cases", async () => {
    const list = (await api.get("/projects/1/cases")).body.result as { id: number; name: string }[];
    const once = list.find((c) => c.name === "Once")!.id;
    expect((await api.request("DELETE", "/projects/1/cases", { body: { ids: [once, 99999] } })).status).toBe(404);
    const res = await api.request("DELETE", "/projects/1/cases", { body: { ids: [once] } });
    expect(res.status).toBe(204);
    expect(res.body).toBe("");
    expect((await api.request("DELETE", "/projects/1/cases", { body: {} })).status).toBe(422);
    const inFolder = await create([{ name: "In folder", folder_id: folderId }]);
    expect(inFolder.status).toBe(201);
    await api.request("DELETE", "/projects/1/folders", { body: { ids: [folderId] } });
    expect((await api.get(`/projects/1/cases?folder_id=${folderId}`)).body.total).toBe(0);
  });
});
