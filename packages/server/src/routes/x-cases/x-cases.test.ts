import { CaseDetailResult, CaseListItem, Page, RepositoryOptionsResult } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssueIntegration } from "../../services/repository.js";
import { openStorage } from "../../storage/db.js";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createOutsiderToken,
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

const CasePage = Page(CaseListItem, { expands: false });

describe.each(BACKENDS)("/x cases (editor, list, options) on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let readOnly: ApiClient;
  let outsider: ApiClient;
  let project: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    project = Number((await runServerCommand(server, ["project", "create", "--name", "Editor"])).trim());
    readOnly = api.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    outsider = api.withToken(await createOutsiderToken(server, "outsider@example.com", project));
  }, 120_000);
  afterAll(() => server?.stop());

  const patch = (client: ApiClient, path: string, body: unknown) => client.request("PATCH", path, { body });

  async function newCase(body: Record<string, unknown>) {
    const res = await api.post(`/projects/${project}/cases`, { cases: [body] });
    expect(res.status).toBe(201);
    return res.body.result[0].id as number;
  }

  it("reads one case whole: steps from custom_steps, other custom fields, tags, linked tests with status", async () => {
    const id = await newCase({
      name: "Checkout with a card",
      tags: ["smoke", "checkout"],
      custom_priority: "high",
      custom_steps: [{ step: "Open <b>cart</b>", expected: "Cart shows" }, { step: "Pay" }],
    });
    const run = await api.post(`/projects/${project}/automation/runs`, { name: "CI", source: "unit" });
    const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
    const test = { key: "pay", name: "pays by card", folder: "checkout", status: "failed" };
    expect((await api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests: [test] })).status).toBe(204);
    const automation = await api.get(`/projects/${project}/automation/cases`);
    const automationId = automation.body.result[0].id;
    expect(
      (await patch(api, `/projects/${project}/cases`, { ids: [id], automation_links: [automationId] })).status,
    ).toBe(200);

    const res = await readOnly.get(`/x/cases/${id}`);
    expect(res.status).toBe(200);
    expect(Value.Check(CaseDetailResult, res.body)).toBe(true);
    const detail = res.body.result;
    expect(detail.steps).toEqual([
      { step: "Open <b>cart</b>", expected: "Cart shows" },
      { step: "Pay", expected: "" },
    ]);
    expect(detail.custom_fields).toEqual({ custom_priority: "high" });
    expect(detail.tags.map((t: { name: string }) => t.name)).toEqual(["checkout", "smoke"]);
    expect(detail.automation).toEqual([
      expect.objectContaining({
        automation_case_id: automationId,
        name: "pays by card",
        source_name: "unit",
        status: 3,
      }),
    ]);
  });

  it("saves steps, tags, template, state and custom fields; the answer is the new version", async () => {
    const id = await newCase({ name: "Sign in" });
    const loaded = (await api.get(`/x/cases/${id}`)).body.result;
    const options = (await api.get(`/x/projects/${project}/repository`)).body.result;
    const text = options.templates.find((t: { name: string }) => t.name === "Text").id;
    const draft = options.states.find((s: { name: string }) => s.name === "Draft").id;
    const res = await patch(api, `/x/cases/${id}`, {
      updated_at: loaded.updated_at,
      name: "Sign in with a password",
      template_id: text,
      state_id: draft,
      tags: ["auth"],
      steps: [
        { step: "Type the password", expected: "Dots show" },
        { step: "Press Enter", expected: "Dashboard opens" },
      ],
      custom_fields: { custom_priority: "low" },
    });
    expect(res.status).toBe(200);
    expect(Value.Check(CaseDetailResult, res.body)).toBe(true);
    const saved = res.body.result;
    expect(saved).toMatchObject({ name: "Sign in with a password", template_id: text, state_id: draft });
    expect(saved.steps).toHaveLength(2);
    expect(saved.tags.map((t: { name: string }) => t.name)).toEqual(["auth"]);
    expect(saved.custom_fields).toEqual({ custom_priority: "low" });
    expect(saved.updated_at).not.toBe(loaded.updated_at);
    // Testmo's list shows the steps as the custom_steps field they are stored in.
    const listed = await api.get(`/projects/${project}/cases?per_page=100`);
    const item = listed.body.result.find((c: { id: number }) => c.id === id);
    expect(item.custom_steps).toEqual(saved.steps);
    // A null clears a custom field.
    const cleared = await patch(api, `/x/cases/${id}`, {
      updated_at: saved.updated_at,
      custom_fields: { custom_priority: null },
    });
    expect(cleared.body.result.custom_fields).toEqual({});
  });

  it("refuses a save from a stale version with a 422 on updated_at, and changes nothing", async () => {
    const id = await newCase({ name: "Shared case" });
    const loaded = (await api.get(`/x/cases/${id}`)).body.result;
    const first = await patch(api, `/x/cases/${id}`, { updated_at: loaded.updated_at, name: "First writer" });
    expect(first.status).toBe(200);
    const second = await patch(api, `/x/cases/${id}`, {
      updated_at: loaded.updated_at,
      name: "Second writer",
      tags: ["lost"],
    });
    expect(second.status).toBe(422);
    expect(Object.keys(second.body.errors)).toEqual(["updated_at"]);
    expect(second.body.message).toMatch(/saved by .* after you opened it/);
    const now = (await api.get(`/x/cases/${id}`)).body.result;
    expect(now.name).toBe("First writer");
    expect(now.tags).toEqual([]);
    // A bulk change through Testmo's PATCH also makes the editor's version stale.
    await patch(api, `/projects/${project}/cases`, { ids: [id], name: "Bulk renamed" });
    const stale = await patch(api, `/x/cases/${id}`, { updated_at: now.updated_at, name: "Mine" });
    expect(stale.status).toBe(422);
  });

  it("replaces the issues: keys of a tracker are found or created, a bad tracker is a 422 naming it", async () => {
    const storage = openStorage({ databaseUrl: server.env.ASSAY_DATABASE_URL || null, dataDir: server.dataDir });
    const tracker = await createIssueIntegration(storage.db, { type: 1, name: "Tracker" }).finally(() =>
      storage.close(),
    );
    const id = await newCase({ name: "With issues" });
    const loaded = (await api.get(`/x/cases/${id}`)).body.result;
    const saved = await patch(api, `/x/cases/${id}`, {
      updated_at: loaded.updated_at,
      issues: [{ display_id: "SHOP-7", integration_id: tracker.id }],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.result.issues).toEqual([
      { id: expect.any(Number), display_id: "SHOP-7", integration_id: tracker.id, connection_project_id: null },
    ]);
    const kept = saved.body.result.issues[0].id;
    const bad = await patch(api, `/x/cases/${id}`, {
      updated_at: saved.body.result.updated_at,
      issues: [kept, { display_id: "X-1", integration_id: 999999 }],
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(["issues.1.integration_id"]);
    expect((await api.get(`/x/cases/${id}`)).body.result.issues.map((i: { id: number }) => i.id)).toEqual([kept]);
  });

  it("lets exactly one of two concurrent saves from the same version win", async () => {
    const id = await newCase({ name: "Race" });
    const loaded = (await api.get(`/x/cases/${id}`)).body.result;
    const [a, b] = await Promise.all([
      patch(api, `/x/cases/${id}`, { updated_at: loaded.updated_at, name: "A" }),
      patch(api, `/x/cases/${id}`, { updated_at: loaded.updated_at, name: "B" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 422]);
    const winner = a.status === 200 ? "A" : "B";
    expect((await api.get(`/x/cases/${id}`)).body.result.name).toBe(winner);
  });

  it("names bad fields in a 422 and keeps the case unchanged", async () => {
    const id = await newCase({ name: "Validated" });
    const loaded = (await api.get(`/x/cases/${id}`)).body.result;
    const badTemplate = await patch(api, `/x/cases/${id}`, { updated_at: loaded.updated_at, template_id: 999999 });
    expect(badTemplate.status).toBe(422);
    expect(badTemplate.body.errors.template_id[0]).toMatch(/Template 999999 does not exist/);
    const badFolder = await patch(api, `/x/cases/${id}`, {
      updated_at: loaded.updated_at,
      folder_id: 999999,
      name: "X",
    });
    expect(badFolder.status).toBe(422);
    expect(Object.keys(badFolder.body.errors)).toEqual(["folder_id"]);
    const badField = await patch(api, `/x/cases/${id}`, {
      updated_at: loaded.updated_at,
      custom_fields: { priority: "x" },
    });
    expect(badField.status).toBe(422);
    expect(Object.keys(badField.body.errors)).toEqual(["custom_fields.priority"]);
    const unknownKey = await patch(api, `/x/cases/${id}`, { updated_at: loaded.updated_at, colour: "red" });
    expect(unknownKey.status).toBe(422);
    expect((await api.get(`/x/cases/${id}`)).body.result).toEqual(loaded);
  });

  it("checks permissions like Testmo's case routes: 403 for read-only saves and outsiders, 404 for unknown cases", async () => {
    const id = await newCase({ name: "Guarded" });
    const loaded = (await api.get(`/x/cases/${id}`)).body.result;
    const denied = await patch(readOnly, `/x/cases/${id}`, { updated_at: loaded.updated_at, name: "No" });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/does not allow you to change repository cases/);
    expect((await outsider.get(`/x/cases/${id}`)).status).toBe(403);
    expect((await outsider.get(`/x/projects/${project}/cases`)).status).toBe(403);
    expect((await api.get("/x/cases/999999")).status).toBe(404);
    expect((await api.get("/x/projects/999999/cases")).status).toBe(404);
  });

  it("lists with search, folder (with sub-folders), tag, state, template and custom field filters", async () => {
    const p = Number((await runServerCommand(server, ["project", "create", "--name", "Listing"])).trim());
    const folders = await api.post(`/projects/${p}/folders`, { folders: [{ name: "Top" }] });
    const top = folders.body.result[0].id;
    const child = (await api.post(`/projects/${p}/folders`, { folders: [{ name: "Child", parent_id: top }] })).body
      .result[0].id;
    const created = await api.post(`/projects/${p}/cases`, {
      cases: [
        { name: "Login works", folder_id: top, tags: ["auth"], custom_priority: "high" },
        { name: "Logout works", folder_id: child, tags: ["auth", "smoke"], custom_priority: "low" },
        { name: "Search 100% match", tags: ["smoke"] },
      ],
    });
    const [login, logout, search] = created.body.result.map((c: { id: number }) => c.id);
    const ids = async (query: string) => {
      const res = await api.get(`/x/projects/${p}/cases?${query}`);
      expect(res.status).toBe(200);
      expect(Value.Check(CasePage, res.body)).toBe(true);
      return res.body.result.map((c: { id: number }) => c.id);
    };
    expect(await ids("search=LOG")).toEqual([login, logout]);
    expect(await ids("search=100%25")).toEqual([search]);
    expect(await ids("search=C2")).toEqual([logout]);
    expect(await ids(`folder_id=${top}`)).toEqual([login]);
    expect(await ids(`folder_id=${top}&include_subfolders=true`)).toEqual([login, logout]);
    const options = (await api.get(`/x/projects/${p}/repository`)).body;
    expect(Value.Check(RepositoryOptionsResult, options)).toBe(true);
    expect(options.result.custom_fields).toEqual(["custom_priority"]);
    const smoke = options.result.tags.find((t: { name: string }) => t.name === "smoke").id;
    expect(await ids(`tag_id=${smoke}&sort=name&order=desc`)).toEqual([search, logout]);
    expect(await ids("custom_field=custom_priority&custom_value=HIGH")).toEqual([login]);
    const active = options.result.states.find((s: { is_default: boolean }) => s.is_default).id;
    expect(await ids(`state_id=${active}&template_id=${options.result.templates[0].id}`)).toHaveLength(3);
    const partial = await api.get(`/x/projects/${p}/cases?custom_field=custom_priority`);
    expect(partial.status).toBe(422);
    expect(Object.keys(partial.body.errors)).toEqual(["custom_value"]);
  });
});
