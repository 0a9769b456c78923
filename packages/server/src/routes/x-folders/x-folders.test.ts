import { FolderContentsResult, FolderResultList } from "@assay/api";
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

describe.each(BACKENDS)("/x folders (move, reorder, contents) on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let readOnly: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    readOnly = api.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
  }, 120_000);
  afterAll(() => server?.stop());

  async function tree() {
    const project = Number((await runServerCommand(server, ["project", "create", "--name", "Tree"])).trim());
    const top = await api.post(`/projects/${project}/folders`, {
      folders: [{ name: "A" }, { name: "B" }, { name: "C" }],
    });
    const [a, b, c] = top.body.result.map((f: { id: number }) => f.id);
    const child = await api.post(`/projects/${project}/folders`, { folders: [{ name: "A1", parent_id: a }] });
    const a1 = child.body.result[0].id;
    const grand = await api.post(`/projects/${project}/folders`, { folders: [{ name: "A1x", parent_id: a1 }] });
    return { project, a, b, c, a1, a1x: grand.body.result[0].id };
  }

  const names = async (project: number, parent: number) => {
    const res = await api.get(`/projects/${project}/folders?parent_id=${parent}&sort=display_order&order=asc`);
    return res.body.result.map((f: { name: string }) => f.name);
  };

  it("reorders siblings: a folder moved to position 0 comes first, the others keep their order", async () => {
    const t = await tree();
    const res = await api.post(`/x/folders/${t.c}/move`, { parent_id: null, position: 0 });
    expect(res.status).toBe(200);
    expect(Value.Check(FolderResultList, res.body)).toBe(true);
    expect(res.body.result.map((f: { name: string; display_order: number }) => [f.name, f.display_order])).toEqual([
      ["C", 1],
      ["A", 2],
      ["B", 3],
    ]);
    expect(await names(t.project, 0)).toEqual(["C", "A", "B"]);
    // A position past the end puts it last.
    await api.post(`/x/folders/${t.c}/move`, { parent_id: null, position: 99 });
    expect(await names(t.project, 0)).toEqual(["A", "B", "C"]);
  });

  it("moves a folder with its sub-folders under another parent and updates their depths", async () => {
    const t = await tree();
    const res = await api.post(`/x/folders/${t.a1}/move`, { parent_id: t.b, position: 0 });
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual([expect.objectContaining({ id: t.a1, parent_id: t.b, depth: 1 })]);
    const all = await api.get(`/projects/${t.project}/folders?per_page=100`);
    const byId = new Map(all.body.result.map((f: { id: number }) => [f.id, f]));
    expect(byId.get(t.a1x)).toMatchObject({ parent_id: t.a1, depth: 2 });
    const toTop = await api.post(`/x/folders/${t.a1}/move`, { parent_id: null, position: 1 });
    expect(toTop.body.result.map((f: { id: number }) => f.id)).toEqual([t.a, t.a1, t.b, t.c]);
    const again = await api.get(`/projects/${t.project}/folders?per_page=100`);
    expect(again.body.result.find((f: { id: number }) => f.id === t.a1x)).toMatchObject({ depth: 1 });
  });

  it("refuses a move into the folder itself or below it, or to another project's folder, with a 422 on parent_id", async () => {
    const t = await tree();
    const other = await tree();
    for (const parent of [t.a, t.a1x, other.b]) {
      const res = await api.post(`/x/folders/${t.a}/move`, { parent_id: parent, position: 0 });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(["parent_id"]);
    }
    expect(await names(t.project, 0)).toEqual(["A", "B", "C"]);
  });

  it("tells what a delete takes with it: sub-folders at any depth, their cases and attachments", async () => {
    const t = await tree();
    const created = await api.post(`/projects/${t.project}/cases`, {
      cases: [
        { name: "in A", folder_id: t.a },
        { name: "in A1x", folder_id: t.a1x },
        { name: "in B", folder_id: t.b },
      ],
    });
    const form = new FormData();
    form.append("file", new Blob(["hello"], { type: "text/plain" }), "notes.txt");
    const upload = await fetch(`${server.url}/api/v1/cases/${created.body.result[1].id}/attachments/single`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const res = await readOnly.get(`/x/folders/${t.a}/contents`);
    expect(res.status).toBe(200);
    expect(Value.Check(FolderContentsResult, res.body)).toBe(true);
    expect(res.body.result).toEqual({ folder_id: t.a, folders: 2, cases: 2, attachments: 1 });
    expect((await api.get(`/x/folders/${t.c}/contents`)).body.result).toMatchObject({ folders: 0, cases: 0 });
  });

  it("needs the repository permission to move, and answers 404 for an unknown folder", async () => {
    const t = await tree();
    const denied = await readOnly.post(`/x/folders/${t.a}/move`, { parent_id: null, position: 2 });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/does not allow you to change the case repository/);
    expect((await api.post("/x/folders/999999/move", { parent_id: null, position: 0 })).status).toBe(404);
    expect((await api.get("/x/folders/999999/contents")).status).toBe(404);
  });
});
