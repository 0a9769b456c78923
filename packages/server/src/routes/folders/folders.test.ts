import { FolderResultList, Page, RepositoryFolder, UpdatedFolderResultList } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

const FolderPage = Page(RepositoryFolder);

describe.each(BACKENDS)("repository folders on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let readOnly: ApiClient;
  let otherProject: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    readOnly = api.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    otherProject = Number((await runServerCommand(server, ["project", "create", "--name", "Other"])).trim());
  });
  afterAll(() => server?.stop());

  const create = (folders: unknown[], project = 1) => api.post(`/projects/${project}/folders`, { folders });

  it("creates a tree: 201, depth from 0, display order appended among siblings", async () => {
    const top = await create([{ name: "Checkout" }, { name: "Accounts", docs: "Login and sign-up" }]);
    expect(top.status).toBe(201);
    expect(Value.Check(FolderResultList, top.body)).toBe(true);
    const [checkout, accounts] = top.body.result;
    expect(checkout).toMatchObject({ project_id: 1, repo_id: 1, parent_id: null, depth: 0, display_order: 1 });
    expect(accounts).toMatchObject({ docs: "Login and sign-up", display_order: 2 });
    const child = await create([
      { name: "Payment", parent_id: checkout.id },
      { name: "Cart", parent_id: checkout.id, display_order: 7 },
    ]);
    expect(child.body.result[0]).toMatchObject({ parent_id: checkout.id, depth: 1, display_order: 1 });
    expect(child.body.result[1]).toMatchObject({ depth: 1, display_order: 7 });
    const grand = await create([{ name: "Cards", parent_id: child.body.result[0].id }]);
    expect(grand.body.result[0].depth).toBe(2);
  });

  it("lists with filters, sorts in both token forms, expands parents", async () => {
    const all = await api.get("/projects/1/folders?sort=name&order=asc");
    expect(all.status).toBe(200);
    expect(Value.Check(FolderPage, all.body)).toBe(true);
    expect(all.body.result.map((f: { name: string }) => f.name)).toEqual([
      "Accounts",
      "Cards",
      "Cart",
      "Checkout",
      "Payment",
    ]);
    const checkout = all.body.result.find((f: { name: string }) => f.name === "Checkout");
    const children = await api.get(
      `/projects/1/folders?parent_id=${checkout.id}&sort=repository_folders:display_order&order=asc&expands=folders`,
    );
    expect(children.body.result.map((f: { name: string }) => f.name)).toEqual(["Payment", "Cart"]);
    expect(children.body.expands.folders).toEqual([{ id: checkout.id, name: "Checkout" }]);
    const top = await api.get("/projects/1/folders?parent_id=0");
    expect(top.body.total).toBe(2);
    const byName = await api.get("/projects/1/folders?name=CAR");
    expect(byName.body.result.map((f: { name: string }) => f.name).sort()).toEqual(["Cards", "Cart"]);
    const paged = await api.get("/projects/1/folders?per_page=15&page=2");
    expect(paged.body).toMatchObject({ page: 2, last_page: 1, total: 5, result: [] });
  });

  it("filters by name literally: % and _ are no wildcards, case is ignored", async () => {
    const made = await create(
      [{ name: "100% done" }, { name: "1000 done" }, { name: "a_b" }, { name: "AXB" }],
      otherProject,
    );
    expect(made.status).toBe(201);
    const names = async (name: string) =>
      (await api.get(`/projects/${otherProject}/folders?name=${encodeURIComponent(name)}`)).body.result
        .map((f: { name: string }) => f.name)
        .sort();
    expect(await names("%")).toEqual(["100% done"]);
    expect(await names("0% d")).toEqual(["100% done"]);
    expect(await names("A_B")).toEqual(["a_b"]);
    expect(await names("axb")).toEqual(["AXB"]);
    expect(await names("!")).toEqual([]);
  });

  it("rejects unknown sort, expands and per_page with 422 naming the allowed values", async () => {
    const sort = await api.get("/projects/1/folders?sort=created_at");
    expect(sort.status).toBe(422);
    expect(sort.body.errors.sort[0]).toContain("display_order");
    const expands = await api.get("/projects/1/folders?expands=users");
    expect(expands.status).toBe(422);
    expect(expands.body.errors.expands[0]).toContain("folders");
    expect((await api.get("/projects/1/folders?per_page=20")).status).toBe(422);
  });

  it("updates and moves folders, echoing only the given fields, recomputing depths", async () => {
    const list = (await api.get("/projects/1/folders?per_page=100")).body.result as { id: number; name: string }[];
    const id = (name: string) => list.find((f) => f.name === name)!.id;
    const res = await api.request("PATCH", "/projects/1/folders", {
      body: { ids: [id("Payment")], parent_id: id("Accounts"), docs: "moved" },
    });
    expect(res.status).toBe(200);
    expect(Value.Check(UpdatedFolderResultList, res.body)).toBe(true);
    expect(res.body.result).toEqual([{ id: id("Payment"), parent_id: id("Accounts"), docs: "moved" }]);
    const after = (await api.get("/projects/1/folders")).body.result as RepositoryFolder[];
    expect(after.find((f) => f.name === "Cards")!.depth).toBe(2);
    const toTop = await api.request("PATCH", "/projects/1/folders", {
      body: { ids: [id("Payment")], parent_id: null },
    });
    expect(toTop.body.result).toEqual([{ id: id("Payment"), parent_id: null }]);
    const moved = (await api.get("/projects/1/folders")).body.result as RepositoryFolder[];
    expect(moved.find((f) => f.name === "Payment")).toMatchObject({ depth: 0, parent_id: null });
    expect(moved.find((f) => f.name === "Cards")!.depth).toBe(1);
    const renamed = await api.request("PATCH", "/projects/1/folders", { body: { ids: [id("Cart")], name: "Basket" } });
    expect(renamed.body.result).toEqual([{ id: id("Cart"), name: "Basket" }]);
  });

  it("rejects invalid writes with 404/422 and changes nothing", async () => {
    const list = (await api.get("/projects/1/folders")).body.result as { id: number; name: string }[];
    const id = (name: string) => list.find((f) => f.name === name)!.id;
    const cycle = await api.request("PATCH", "/projects/1/folders", {
      body: { ids: [id("Payment")], parent_id: id("Cards") },
    });
    expect(cycle.status).toBe(422);
    expect(cycle.body.errors.parent_id[0]).toContain("moved folders");
    const missing = await api.request("PATCH", "/projects/1/folders", { body: { ids: [99999], name: "x" } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain("99999");
    const badParent = await create([{ name: "ok" }, { name: "orphan", parent_id: 99999 }]);
    expect(badParent.status).toBe(422);
    expect(badParent.body.errors["folders.1.parent_id"][0]).toContain("99999");
    expect((await api.get("/projects/1/folders?name=orphan")).body.total).toBe(0);
    expect((await api.get("/projects/1/folders?name=ok")).body.total).toBe(0);
    expect((await create([])).status).toBe(422);
    expect((await create([{ name: "" }])).status).toBe(422);
    expect((await create([{ name: 5 }])).status).toBe(422);
    expect((await api.request("DELETE", "/projects/1/folders", { body: {} })).status).toBe(422);
    const tooMany = Array.from({ length: 101 }, (_, i) => i + 1);
    expect((await api.request("DELETE", "/projects/1/folders", { body: { ids: tooMany } })).status).toBe(422);
    expect((await api.get("/projects/999/folders")).status).toBe(404);
  });

  it("keeps projects apart and read-only users out of writes", async () => {
    const list = (await api.get("/projects/1/folders")).body.result as { id: number }[];
    const foreign = await create([{ name: "sneaky", parent_id: list[0]!.id }], otherProject);
    expect(foreign.status).toBe(422);
    const patch = await api.request("PATCH", `/projects/${otherProject}/folders`, {
      body: { ids: [list[0]!.id], name: "x" },
    });
    expect(patch.status).toBe(404);
    const del = await api.request("DELETE", `/projects/${otherProject}/folders`, { body: { ids: [list[0]!.id] } });
    expect(del.status).toBe(404);
    expect((await readOnly.get("/projects/1/folders")).status).toBe(200);
    const denied = await readOnly.post("/projects/1/folders", { folders: [{ name: "no" }] });
    expect(denied.status).toBe(403);
    expect((await readOnly.request("DELETE", "/projects/1/folders", { body: { ids: [list[0]!.id] } })).status).toBe(
      403,
    );
    expect((await api.get("/projects/1/folders", { token: null })).status).toBe(401);
  });

  it("replays a create under the same Idempotency-Key without creating twice", async () => {
    const headers = { "idempotency-key": `folders-${backend}` };
    const first = await api.post("/projects/1/folders", { folders: [{ name: "Once" }] }, { headers });
    const again = await api.post("/projects/1/folders", { folders: [{ name: "Once" }] }, { headers });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await api.get("/projects/1/folders?name=Once")).body.total).toBe(1);
  });

  it("deletes folders with their sub-folders: 204, no body", async () => {
    const list = (await api.get("/projects/1/folders")).body.result as { id: number; name: string }[];
    const payment = list.find((f) => f.name === "Payment")!.id;
    const res = await api.request("DELETE", "/projects/1/folders", { body: { ids: [payment] } });
    expect(res.status).toBe(204);
    expect(res.body).toBe("");
    const names = ((await api.get("/projects/1/folders")).body.result as { name: string }[]).map((f) => f.name);
    expect(names).not.toContain("Payment");
    expect(names).not.toContain("Cards");
  });
});
