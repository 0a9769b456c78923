import fs from "node:fs";
import path from "node:path";
import { Attachment, AttachmentResultList, Page } from "@assay/api";
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

const AttachmentPage = Page(Attachment);

type Upload = { field: string; name: string; content: string | Uint8Array; type?: string };

async function upload(server: TestServer, token: string | null, url: string, files: Upload[], headers = {}) {
  const form = new FormData();
  for (const f of files) form.append(f.field, new Blob([f.content], { type: f.type ?? "" }), f.name);
  const response = await fetch(`${server.url}/api/v1${url}`, {
    method: "POST",
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: form,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : text };
}

describe.each(BACKENDS)("case attachments on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let readerToken: string;
  let outsiderToken: string;
  let caseId: number;
  let otherCaseId: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend, env: { ASSAY_MAX_BODY_MB: "1" } });
    api = new ApiClient(server.url, server.token);
    readerToken = await createUserWithToken(server, "reader@example.com", "read-only");
    outsiderToken = await createUserWithToken(server, "outsider@example.com", "tester");
    const other = Number((await runServerCommand(server, ["project", "create", "--name", "Other"])).trim());
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      "1",
      "--email",
      "outsider@example.com",
      "--role",
      "none",
    ]);
    caseId = (await api.post("/projects/1/cases", { cases: [{ name: "With files" }] })).body.result[0].id;
    otherCaseId = (await api.post(`/projects/${other}/cases`, { cases: [{ name: "Elsewhere" }] })).body.result[0].id;
  });
  afterAll(() => server?.stop());

  const files = () => fs.readdirSync(path.join(server.dataDir, "attachments"));

  it("uploads files[] (201, result + users expand) and serves them back with authorization", async () => {
    const res = await upload(server, server.token, `/cases/${caseId}/attachments`, [
      { field: "files[]", name: "log.txt", content: "hello", type: "text/plain" },
      { field: "files[]", name: "../../etc/shot.png", content: new Uint8Array([137, 80, 78, 71]), type: "image/png" },
    ]);
    expect(res.status).toBe(201);
    expect(Value.Check(AttachmentResultList, res.body)).toBe(true);
    expect(res.body.result).toHaveLength(2);
    expect(res.body.result[0]).toMatchObject({ name: "log.txt", mime_type: "text/plain", size: 5, created_by: 1 });
    expect(res.body.result[1]).toMatchObject({ name: "shot.png", mime_type: "image/png", size: 4 });
    expect(res.body.expands.users).toEqual([{ id: 1, name: "Administrator" }]);
    const download = await fetch(`${server.url}${res.body.result[0].path}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe("hello");
    expect(download.headers.get("content-disposition")).toContain("log.txt");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await fetch(`${server.url}${res.body.result[0].path}`)).status).toBe(401);
    const reader = await fetch(`${server.url}${res.body.result[0].path}`, {
      headers: { authorization: `Bearer ${readerToken}` },
    });
    expect(reader.status).toBe(200);
    const outsider = await fetch(`${server.url}${res.body.result[0].path}`, {
      headers: { authorization: `Bearer ${outsiderToken}` },
    });
    expect(outsider.status).toBe(403);
    expect((await api.get("/attachments/99999/download")).status).toBe(404);
  });

  it("uploads exactly one file to /single and accepts `files` without brackets", async () => {
    const single = await upload(server, server.token, `/cases/${caseId}/attachments/single`, [
      { field: "file", name: "one.bin", content: "1" },
      { field: "file", name: "two.bin", content: "2" },
    ]);
    expect(single.status).toBe(201);
    expect(single.body.result).toHaveLength(1);
    expect(single.body.result[0]).toMatchObject({ name: "one.bin", mime_type: "application/octet-stream" });
    const plain = await upload(server, server.token, `/cases/${caseId}/attachments`, [
      { field: "files", name: "plain.txt", content: "p", type: "text/plain" },
    ]);
    expect(plain.status).toBe(201);
  });

  it("stores only the first 20 files of a larger upload", async () => {
    const many = Array.from({ length: 22 }, (_, i) => ({ field: "files[]", name: `f${i}.txt`, content: `${i}` }));
    const res = await upload(server, server.token, `/cases/${otherCaseId}/attachments`, many);
    expect(res.status).toBe(201);
    expect(res.body.result).toHaveLength(20);
    expect(res.body.result.at(-1).name).toBe("f19.txt");
  });

  it("lists attachments by id with order, created_by filter and users expand", async () => {
    const res = await api.get(`/cases/${caseId}/attachments?expands=users&order=asc`);
    expect(res.status).toBe(200);
    expect(Value.Check(AttachmentPage, res.body)).toBe(true);
    const ids = res.body.result.map((a: { id: number }) => a.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    expect(res.body.total).toBe(4);
    expect(res.body.expands.users).toEqual([{ id: 1, name: "Administrator" }]);
    expect((await api.get(`/cases/${caseId}/attachments?created_by=2`)).body.total).toBe(0);
    expect((await api.get(`/cases/${caseId}/attachments?per_page=15&page=1`)).body.per_page).toBe(15);
    const sort = await api.get(`/cases/${caseId}/attachments?expands=tags`);
    expect(sort.status).toBe(422);
    expect(sort.body.errors.expands[0]).toContain("users");
    expect((await api.get("/cases/99999/attachments")).status).toBe(404);
    expect((await api.get(`/cases/${caseId}/attachments`, { token: outsiderToken })).status).toBe(403);
  });

  it("rejects bad uploads with 413/422/403 and keeps no file", async () => {
    const before = files().length;
    const big = new Uint8Array(1024 * 1024 + 10);
    const tooBig = await upload(server, server.token, `/cases/${caseId}/attachments`, [
      { field: "files[]", name: "small.txt", content: "s" },
      { field: "files[]", name: "big.bin", content: big },
    ]);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toContain("big.bin");
    const wrongField = await upload(server, server.token, `/cases/${caseId}/attachments`, [
      { field: "attachment", name: "x.txt", content: "x" },
    ]);
    expect(wrongField.status).toBe(422);
    expect(wrongField.body.errors["files[]"][0]).toContain('"attachment"');
    const badType = await upload(server, server.token, `/cases/${caseId}/attachments/single`, [
      { field: "file", name: "x.txt", content: "x", type: "not a type" },
    ]);
    expect(badType.status).toBe(422);
    const json = await api.post(`/cases/${caseId}/attachments`, { files: [] });
    expect(json.status).toBe(422);
    expect(json.body.message).toContain("multipart/form-data");
    const denied = await upload(server, readerToken, `/cases/${caseId}/attachments`, [
      { field: "files[]", name: "x.txt", content: "x" },
    ]);
    expect(denied.status).toBe(403);
    const missing = await upload(server, server.token, "/cases/99999/attachments", [
      { field: "files[]", name: "x.txt", content: "x" },
    ]);
    expect(missing.status).toBe(404);
    expect(files().length).toBe(before);
    expect((await api.get(`/cases/${caseId}/attachments`)).body.total).toBe(4);
  });

  it("answers a multipart body cut short with 422 and keeps none of its files", async () => {
    const before = files().length;
    const part = (name: string) =>
      `--cut\r\nContent-Disposition: form-data; name="files[]"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`;
    const res = await api.request("POST", `/cases/${caseId}/attachments`, {
      rawBody: `${part("whole.txt")}complete\r\n${part("cut.txt")}the connection drops here`,
      headers: { "content-type": "multipart/form-data; boundary=cut" },
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("multipart/form-data body could not be read");
    expect(res.body.message).toContain('"files[]"');
    expect(files().length).toBe(before);
  });

  it("replays an upload under the same Idempotency-Key without storing it twice", async () => {
    const headers = { "idempotency-key": `upload-${backend}` };
    const body = [{ field: "file", name: "once.txt", content: "once" }];
    const first = await upload(server, server.token, `/cases/${caseId}/attachments/single`, body, headers);
    const before = files().length;
    const again = await upload(server, server.token, `/cases/${caseId}/attachments/single`, body, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(files().length).toBe(before);
  });

  it("deletes attachments of the case: 204, files removed; others' ids 404", async () => {
    const list = (await api.get(`/cases/${caseId}/attachments`)).body.result as { id: number }[];
    const foreign = (await api.get(`/cases/${otherCaseId}/attachments`)).body.result[0].id;
    const wrong = await api.request("DELETE", `/cases/${caseId}/attachments`, { body: { ids: [foreign] } });
    expect(wrong.status).toBe(404);
    expect(wrong.body.message).toContain(String(foreign));
    expect(
      (
        await api.request("DELETE", `/cases/${caseId}/attachments`, {
          body: { ids: [list[0]!.id] },
          token: readerToken,
        })
      ).status,
    ).toBe(403);
    expect((await api.request("DELETE", `/cases/${caseId}/attachments`, { body: {} })).status).toBe(422);
    const before = files().length;
    const res = await api.request("DELETE", `/cases/${caseId}/attachments`, { body: { ids: [list[0]!.id] } });
    expect(res.status).toBe(204);
    expect(res.body).toBe("");
    expect(files().length).toBe(before - 1);
    expect((await api.get(`/attachments/${list[0]!.id}/download`)).status).toBe(404);
    // Deleting the case removes its remaining files too.
    await api.request("DELETE", "/projects/1/cases", { body: { ids: [caseId] } });
    expect(files().length).toBe(before - list.length);
  });
});
