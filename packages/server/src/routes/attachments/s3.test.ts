import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, readResponse } from "../../test-support/http.js";
import { startS3, type TestS3 } from "../../test-support/s3.js";
import { startServerProcess, type TestServer } from "../../test-support/server-process.js";

/** Starting server processes (and the CLI commands that set them up) takes long on a loaded machine. */
const STARTUP_TIMEOUT_MS = 180_000;

/** The upload's answer: an AttachmentResultList when stored, an ErrorCollection when not. */
async function upload(server: TestServer, caseId: number, name: string, content: Uint8Array | string) {
  const form = new FormData();
  form.append("files[]", new Blob([content], { type: "application/octet-stream" }), name);
  const response = await fetch(`${server.url}/api/v1/cases/${caseId}/attachments`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.token}` },
    body: form,
  });
  return readResponse(response);
}

async function download(server: TestServer, attachmentId: number) {
  const response = await fetch(`${server.url}/api/v1/attachments/${attachmentId}/download`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const incoming = (server: TestServer) => {
  const dir = path.join(server.dataDir, "incoming");
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

/** A binary body larger than any single socket read, so a download really streams. */
const BIG = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7) % 256));

describe.each(BACKENDS)("attachments in an S3 bucket on %s", (backend) => {
  let s3: TestS3;
  let server: TestServer;
  let api: ApiClient;
  let caseId: number;
  const bucket = `assay-${backend}`;

  beforeAll(async () => {
    s3 = await startS3([bucket, "assay-doomed"]);
    server = await startServerProcess({ backend, env: s3.env(bucket) });
    api = new ApiClient(server.url, server.token);
    const created = await api.post("/projects/1/cases", { cases: [{ name: "S3" }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    caseId = created.body.result[0].id;
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
    await s3?.close();
  });

  it("stores uploads in the bucket (not the data directory), serves and deletes them", async () => {
    const res = await upload(server, caseId, "big.bin", BIG);
    expect(res.status).toBe(201);
    const keys = await s3.keys(bucket);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^attachments\//);
    expect((await s3.read(bucket, keys[0]!)).equals(BIG)).toBe(true);
    expect(fs.existsSync(path.join(server.dataDir, "attachments"))).toBe(false);
    const got = await download(server, res.body.result[0].id);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-length")).toBe(String(BIG.length));
    expect(got.bytes.equals(BIG)).toBe(true);
    const gone = await api.request("DELETE", `/cases/${caseId}/attachments`, {
      body: { ids: [res.body.result[0].id] },
    });
    expect(gone.status).toBe(204);
    expect(await s3.keys(bucket)).toEqual([]);
  });

  it("removes a deleted case's files from the bucket", async () => {
    const other = (await api.post("/projects/1/cases", { cases: [{ name: "Doomed" }] })).body.result[0].id;
    await upload(server, other, "a.txt", "a");
    await upload(server, other, "b.txt", "b");
    expect(await s3.keys(bucket)).toHaveLength(2);
    expect((await api.request("DELETE", "/projects/1/cases", { body: { ids: [other] } })).status).toBe(204);
    expect(await s3.keys(bucket)).toEqual([]);
  });

  it("answers 503 + Retry-After naming the setting while the bucket is unreachable, storing nothing", async () => {
    const stored = await upload(server, caseId, "before.txt", "before");
    await s3.stop();
    try {
      const res = await upload(server, caseId, "during.txt", "during");
      expect(res.status).toBe(503);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(res.body.message).toContain("ASSAY_S3_ENDPOINT");
      expect(incoming(server)).toEqual([]);
      const read = await download(server, stored.body.result[0].id);
      expect(read.status).toBe(503);
      expect(read.headers.get("retry-after")).not.toBeNull();
    } finally {
      await s3.start();
    }
    const listed = (await api.get(`/cases/${caseId}/attachments`)).body.result.map((a: { name: string }) => a.name);
    expect(listed).toEqual(["before.txt"]);
    expect(await s3.keys(bucket)).toHaveLength(1);
    expect((await upload(server, caseId, "after.txt", "after")).status).toBe(201);
  });

  it(
    "answers 503 naming ASSAY_S3_BUCKET when the bucket disappears, storing nothing",
    async () => {
      const doomed = await startServerProcess({ sharing: server, env: s3.env("assay-doomed") });
      try {
        await s3.deleteBucket("assay-doomed");
        const before = (await api.get(`/cases/${caseId}/attachments`)).body.total;
        const res = await upload(doomed, caseId, "lost.txt", "lost");
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).not.toBeNull();
        expect(res.body.message).toContain("ASSAY_S3_BUCKET");
        expect((await api.get(`/cases/${caseId}/attachments`)).body.total).toBe(before);
      } finally {
        await doomed.stop();
      }
    },
    STARTUP_TIMEOUT_MS,
  );

  it(
    "refuses to start with a bucket it cannot use, saying what is wrong in one sentence",
    async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [
          { ...s3.env(bucket), ASSAY_S3_BUCKET: "not-there" },
          /assay-server: .*"not-there" \(ASSAY_S3_BUCKET\) does not exist/,
        ],
        [{ ...s3.env(bucket), ASSAY_S3_ACCESS_KEY_ID: "WRONG" }, /assay-server: .*ASSAY_S3_ACCESS_KEY_ID/],
        [
          { ...s3.env(bucket), ASSAY_S3_ENDPOINT: "http://127.0.0.1:9" },
          /assay-server: .*cannot be reached.*ASSAY_S3_ENDPOINT/,
        ],
      ];
      for (const [env, expected] of cases) {
        const failed = await startServerProcess({ sharing: server, env }).then(
          async (started) => {
            await started.stop();
            return "started";
          },
          (error: Error) => error.message,
        );
        expect(failed).toMatch(/exited with 1/);
        expect(failed).toMatch(expected);
      }
    },
    STARTUP_TIMEOUT_MS,
  );
});

/** Two instances on one PostgreSQL database, each with its own data directory, one bucket. */
describe.runIf(BACKENDS.includes("postgres"))("two instances sharing an S3 bucket", () => {
  let s3: TestS3;
  let one: TestServer;
  let two: TestServer;
  let otherDataDir: string;

  beforeAll(async () => {
    s3 = await startS3(["assay-shared"]);
    otherDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-test-"));
    one = await startServerProcess({ backend: "postgres", env: s3.env("assay-shared") });
    two = await startServerProcess({ sharing: one, env: { ...s3.env("assay-shared"), ASSAY_DATA_DIR: otherDataDir } });
  }, STARTUP_TIMEOUT_MS);
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
    await s3?.close();
    fs.rmSync(otherDataDir, { recursive: true, force: true });
  });

  it("serves through one instance the file uploaded through the other, and deletes it for both", async () => {
    const api = new ApiClient(one.url, one.token);
    const caseId = (await api.post("/projects/1/cases", { cases: [{ name: "Shared" }] })).body.result[0].id;
    const res = await upload(one, caseId, "shared.bin", BIG);
    expect(res.status).toBe(201);
    const id = res.body.result[0].id;
    const got = await download(two, id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(BIG)).toBe(true);
    const deleted = await new ApiClient(two.url, two.token).request("DELETE", `/cases/${caseId}/attachments`, {
      body: { ids: [id] },
    });
    expect(deleted.status).toBe(204);
    expect(await s3.keys("assay-shared")).toEqual([]);
    expect((await download(one, id)).status).toBe(404);
  });
});
