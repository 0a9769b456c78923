import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Attachment, AttachmentResultList, Page } from "@assay/api";
import SQLite from "better-sqlite3";
import pg from "pg";
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

/** Starting server processes (and the CLI commands that set them up) takes long on a loaded machine. */
const STARTUP_TIMEOUT_MS = 180_000;

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
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : text };
}

/** A multipart body of `count` files of `size` bytes each in "files[]", as one string. */
function multipartBody(boundary: string, count: number, size: number, name = (i: number) => `f${i}.bin`) {
  const content = "x".repeat(size);
  let body = "";
  for (let i = 0; i < count; i++) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="files[]"; filename="${name(i)}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`;
  }
  return `${body}--${boundary}--\r\n`;
}

/** Sends `body` chunked (no Content-Length), as a client streaming an upload of unknown size does. */
async function uploadChunked(server: TestServer, url: string, boundary: string, body: string) {
  const bytes = new TextEncoder().encode(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
      controller.close();
    },
  });
  const response = await fetch(`${server.url}/api/v1${url}`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.token}`, "content-type": `multipart/form-data; boundary=${boundary}` },
    body: stream,
    duplex: "half",
  } as RequestInit);
  return { status: response.status, body: JSON.parse(await response.text()) };
}

/** Makes every insert into case_attachments fail in the server's database while `work` runs: a server fault. */
async function withFailingAttachmentInserts<T>(server: TestServer, work: () => Promise<T>): Promise<T> {
  if (server.backend === "sqlite") {
    const db = new SQLite(path.join(server.dataDir, "assay.sqlite"));
    db.exec(
      "CREATE TRIGGER fail_attachments BEFORE INSERT ON case_attachments BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    );
    try {
      return await work();
    } finally {
      db.exec("DROP TRIGGER fail_attachments");
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: server.env.ASSAY_DATABASE_URL });
  await client.connect();
  await client.query(
    "CREATE FUNCTION fail_attachments() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$ LANGUAGE plpgsql",
  );
  await client.query(
    "CREATE TRIGGER fail_attachments BEFORE INSERT ON case_attachments FOR EACH ROW EXECUTE FUNCTION fail_attachments()",
  );
  try {
    return await work();
  } finally {
    await client.query("DROP TRIGGER fail_attachments ON case_attachments; DROP FUNCTION fail_attachments()");
    await client.end();
  }
}

describe.each(BACKENDS)("case attachments on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let readerToken: string;
  let outsiderToken: string;
  let caseId: number;
  let otherCaseId: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend, env: { ASSAY_MAX_BODY_MB: "1", ASSAY_MAX_UPLOAD_FILES: "25" } });
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
  }, STARTUP_TIMEOUT_MS);
  afterAll(() => server?.stop());

  const files = () => fs.readdirSync(path.join(server.dataDir, "attachments"));
  /** Files still being received (or left behind by a failed upload). */
  const incoming = () => {
    const dir = path.join(server.dataDir, "incoming");
    return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }) : [];
  };
  const attachmentCount = async (id: number) => (await api.get(`/cases/${id}/attachments`)).body.total as number;

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
    expect(tooBig.body.message).toContain("ASSAY_MAX_BODY_MB");
    expect(tooBig.body.errors["files[]"]).toEqual([tooBig.body.message]);
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

  it("bounds the whole request by ASSAY_MAX_BODY_MB: 40 files of 900 KB are a 413 storing nothing", async () => {
    const before = { files: files().length, rows: await attachmentCount(caseId) };
    const many = Array.from({ length: 40 }, (_, i) => ({
      field: "files[]",
      name: `part${i}.bin`,
      content: new Uint8Array(900 * 1024),
    }));
    const res = await upload(server, server.token, `/cases/${caseId}/attachments`, many);
    expect(res.status).toBe(413);
    expect(res.body.message).toContain("1 MiB");
    expect(res.body.message).toContain("ASSAY_MAX_BODY_MB");
    expect(Object.keys(res.body.errors)).toEqual(["files[]"]);
    expect(files().length).toBe(before.files);
    expect(await attachmentCount(caseId)).toBe(before.rows);
    expect(incoming()).toEqual([]);
  });

  it("counts the bytes of a chunked upload (no Content-Length) and stops it at the limit, storing nothing", async () => {
    const before = { files: files().length, rows: await attachmentCount(caseId) };
    // Each file is under the limit; together they are over it.
    const res = await uploadChunked(
      server,
      `/cases/${caseId}/attachments`,
      "chunky",
      multipartBody("chunky", 3, 400_000),
    );
    expect(res.status).toBe(413);
    expect(res.body.message).toContain("f2.bin");
    expect(res.body.errors["files[]"]).toHaveLength(1);
    expect(files().length).toBe(before.files);
    expect(await attachmentCount(caseId)).toBe(before.rows);
    expect(incoming()).toEqual([]);
    // Under the limit, the same way of sending is accepted.
    const small = await uploadChunked(
      server,
      `/cases/${otherCaseId}/attachments`,
      "chunky",
      multipartBody("chunky", 2, 1000),
    );
    expect(small.status).toBe(201);
    expect(small.body.result.map((a: { size: number }) => a.size)).toEqual([1000, 1000]);
  });

  it("bounds the number of files per request by ASSAY_MAX_UPLOAD_FILES: 413, nothing stored", async () => {
    const before = { files: files().length, rows: await attachmentCount(otherCaseId) };
    const tiny = Array.from({ length: 26 }, (_, i) => ({ field: "files[]", name: `t${i}.txt`, content: "t" }));
    const res = await upload(server, server.token, `/cases/${otherCaseId}/attachments`, tiny);
    expect(res.status).toBe(413);
    expect(res.body.message).toContain("more than 25 files");
    expect(res.body.message).toContain("ASSAY_MAX_UPLOAD_FILES");
    expect(res.body.errors["files[]"]).toHaveLength(1);
    expect(files().length).toBe(before.files);
    expect(await attachmentCount(otherCaseId)).toBe(before.rows);
    expect(incoming()).toEqual([]);
  });

  it("stores a NUL in a file name as U+FFFD, as in JSON strings", async () => {
    const res = await api.request("POST", `/cases/${otherCaseId}/attachments/single`, {
      rawBody: multipartBody("nul", 1, 3, () => "bad\u0000name.txt").replace("files[]", "file"),
      headers: { "content-type": "multipart/form-data; boundary=nul" },
    });
    expect(res.status).toBe(201);
    expect(res.body.result[0].name).toBe("bad\uFFFDname.txt");
    const listed = (await api.get(`/cases/${otherCaseId}/attachments`)).body.result[0];
    expect(listed).toMatchObject({ id: res.body.result[0].id, name: "bad\uFFFDname.txt" });
  });

  it("answers a database fault during an upload with a retryable 503, leaving no file behind", async () => {
    const before = { files: files().length, rows: await attachmentCount(caseId) };
    const res = await withFailingAttachmentInserts(server, () =>
      upload(server, server.token, `/cases/${caseId}/attachments`, [
        { field: "files[]", name: "a.txt", content: "a" },
        { field: "files[]", name: "b.txt", content: "b" },
      ]),
    );
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.body.message).toContain("retry later");
    expect(res.body.message).not.toContain("injected fault");
    expect(files().length).toBe(before.files);
    expect(incoming()).toEqual([]);
    expect(await attachmentCount(caseId)).toBe(before.rows);
    const retried = await upload(server, server.token, `/cases/${caseId}/attachments`, [
      { field: "files[]", name: "a.txt", content: "a" },
    ]);
    expect(retried.status).toBe(201);
    await api.request("DELETE", `/cases/${caseId}/attachments`, { body: { ids: [retried.body.result[0].id] } });
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

describe("upload spool directory", () => {
  it(
    "removes at start the spool directories a stopped server left behind a day ago, not recent ones",
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-spool-"));
      const stale = path.join(dataDir, "incoming", "upload-stale");
      const recent = path.join(dataDir, "incoming", "upload-recent");
      for (const dir of [stale, recent]) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "part"), "x");
      }
      const dayAndAnHourAgo = new Date(Date.now() - 25 * 3600 * 1000);
      fs.utimesSync(stale, dayAndAnHourAgo, dayAndAnHourAgo);
      const server = await startServerProcess({ env: { ASSAY_DATA_DIR: dataDir } });
      try {
        expect(fs.existsSync(stale)).toBe(false);
        expect(fs.existsSync(recent)).toBe(true);
      } finally {
        await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
    STARTUP_TIMEOUT_MS,
  );
});
