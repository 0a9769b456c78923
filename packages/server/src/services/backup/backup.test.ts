import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Attachment, ErrorCollection } from "@assay/api";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS, createPostgresDatabase } from "../../test-support/backends.js";
import { ApiClient, readResponse } from "../../test-support/http.js";
import { listening, runMain, type Spawned, spawnMain, terminate } from "../../test-support/spawn.js";

const TESTS_PER_RUN = 120;

const dirs: string[] = [];
const servers: Spawned[] = [];
afterAll(async () => {
  for (const server of servers) await terminate(server);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-backup-test-"));
  dirs.push(dir);
  return dir;
}

function envFor(dataDir: string): Record<string, string> {
  return {
    ASSAY_HOST: "127.0.0.1",
    ASSAY_PORT: "0",
    ASSAY_DATA_DIR: dataDir,
    ASSAY_ADMIN_TOKEN: "assay_backup_test_token_0123456789",
    ASSAY_LOG_LEVEL: "warn",
    ASSAY_RATE_LIMIT_REQUESTS: "1000000",
  };
}

async function startOn(dataDir: string, extra: Record<string, string> = {}): Promise<ApiClient> {
  const server = spawnMain(["start"], { ...envFor(dataDir), ...extra });
  servers.push(server);
  return new ApiClient(await listening(server), envFor(dataDir).ASSAY_ADMIN_TOKEN!);
}

/**
 * Keeps uploading on two workers until `enough` uploads are acknowledged, runs `snapshot`, then stops;
 * returns the uploads acknowledged before the snapshot began and all of them.
 */
async function snapshotDuringUploads(api: ApiClient, snapshot: () => Promise<void>, enough = 6) {
  const caseId = (await api.post("/projects/1/cases", { cases: [{ name: "With files" }] })).body.result[0].id;
  const done: Uploaded[] = [];
  let stop = false;
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) done.push(await uploadOnce(api, caseId, `w${w}i${i}`));
  };
  const workers = [worker(0), worker(1)];
  while (done.length < enough) await new Promise((resolve) => setTimeout(resolve, 50));
  const beforeSnapshot = [...done];
  try {
    await snapshot();
  } finally {
    stop = true;
    await Promise.all(workers);
  }
  return { beforeSnapshot, all: done };
}

/** Every upload acknowledged before the snapshot is in the copy, whole; whatever else it holds is consistent. */
async function expectIntactCopy(copy: ApiClient, uploads: { beforeSnapshot: Uploaded[]; all: Uploaded[] }) {
  for (const upload of uploads.beforeSnapshot) {
    const run = await copy.get(`/automation/runs/${upload.runId}`);
    expect(run.status).toBe(200);
    expect(run.body.result).toMatchObject({ is_completed: true, total_count: TESTS_PER_RUN });
    expect(await download(copy, upload.attachmentId)).toBe(upload.content);
  }
  const runs = await copy.get("/projects/1/automation/runs?per_page=100");
  for (const run of runs.body.result) {
    if (run.is_completed) expect(run.total_count).toBe(TESTS_PER_RUN);
  }
  for (const upload of uploads.all.slice(uploads.beforeSnapshot.length)) {
    const body = await download(copy, upload.attachmentId);
    if (body !== null) expect(body).toBe(upload.content);
  }
}

interface Uploaded {
  runId: number;
  attachmentId: number;
  content: string;
}

describe("backup and restore (SQLite)", () => {
  it("restores a backup taken during uploads with every completed run and stored file intact", {
    timeout: 300_000,
  }, async () => {
    const source = tempDir();
    const api = await startOn(source);
    const file = path.join(tempDir(), "assay.tar.gz");
    const uploads = await snapshotDuringUploads(api, async () => {
      const backup = await runMain(["backup", "--to", file], envFor(source));
      expect(backup.stderr).toBe("");
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(/^Backed up the database \([\d.]+ MiB\) and \d+ stored files to /);
    });

    const target = path.join(tempDir(), "restored");
    const restored = await runMain(["restore", "--from", file], envFor(target));
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    await expectIntactCopy(await startOn(target), uploads);
  });

  it("refuses to restore into a data directory that is not empty", async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "assay.sqlite"), "");
    const result = await runMain(["restore", "--from", path.join(dataDir, "assay.sqlite")], envFor(dataDir));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^assay-server: ASSAY_DATA_DIR \(.*\) is not empty: stop the server, move/);
    expect(fs.readdirSync(dataDir)).toEqual(["assay.sqlite"]);
  });

  it("refuses a file that is not a backup, leaving no data directory behind", async () => {
    const file = path.join(tempDir(), "not-a-backup.tar.gz");
    fs.writeFileSync(file, crypto.randomBytes(2000));
    const target = path.join(tempDir(), "restored");
    const result = await runMain(["restore", "--from", file], envFor(target));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^assay-server: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(path.dirname(target))).toEqual([]);
  });

  it("on PostgreSQL points to pg_dump", async () => {
    const env = { ...envFor(tempDir()), ASSAY_DATABASE_URL: "postgres://postgres@127.0.0.1:5432/assay" };
    const result = await runMain(["backup", "--to", path.join(tempDir(), "x.tar.gz")], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("pg_dump");
  });

  it("says so when there is no database to back up", async () => {
    const result = await runMain(["backup", "--to", path.join(tempDir(), "x.tar.gz")], envFor(tempDir()));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/There is no database to back up: .*assay\.sqlite does not exist/);
  });
});

/** docs/operations.md's PostgreSQL recipe: pg_dump, then a copy of the files directory; pg_restore and unpack. */
describe.runIf(BACKENDS.includes("postgres"))("backup and restore (PostgreSQL, docs/operations.md)", () => {
  const exec = promisify(execFile);
  const databases: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const server of servers.splice(0)) await terminate(server);
    for (const database of databases) await database.drop();
  });

  it("restores a pg_dump and a files copy taken during uploads with every completed run intact", {
    timeout: 300_000,
  }, async () => {
    const [live, copyDb] = [await createPostgresDatabase(), await createPostgresDatabase()];
    databases.push(live, copyDb);
    const source = tempDir();
    const api = await startOn(source, { ASSAY_DATABASE_URL: live.url });
    const dump = path.join(tempDir(), "assay.dump");
    const files = path.join(tempDir(), "assay-files.tar.gz");
    const uploads = await snapshotDuringUploads(api, async () => {
      await exec("pg_dump", ["--format=custom", `--file=${dump}`, live.url]);
      await exec("tar", ["-czf", files, "-C", source, "attachments"]);
    });

    await exec("pg_restore", ["--no-owner", `--dbname=${copyDb.url}`, dump]);
    const target = tempDir();
    await exec("tar", ["-xzf", files, "-C", target]);
    await expectIntactCopy(await startOn(target, { ASSAY_DATABASE_URL: copyDb.url }), uploads);
  });
});

/** One CI job's worth: a run with a thread of results, completed, and a file attached to a case. */
async function uploadOnce(api: ApiClient, caseId: number, name: string): Promise<Uploaded> {
  const run = await api.post("/projects/1/automation/runs", { name, source: "backup" });
  const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
  const tests = Array.from({ length: TESTS_PER_RUN }, (_, i) => ({
    key: `${name}t${i}`,
    name: `t${i}`,
    folder: "backup",
    status: i % 7 === 0 ? "failure" : "passed",
  }));
  const append = await api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests });
  const threadDone = await api.post(`/automation/runs/threads/${thread.body.id}/complete`, {});
  const runDone = await api.post(`/automation/runs/${run.body.id}/complete`, {});
  expect([run.status, thread.status, append.status, threadDone.status, runDone.status]).toEqual([
    201, 201, 204, 204, 204,
  ]);
  const content = `${name}: ${crypto.randomBytes(24).toString("hex")}`;
  const form = new FormData();
  form.append("files[]", new Blob([content], { type: "text/plain" }), `${name}.txt`);
  const response = await fetch(`${api.baseUrl}/api/v1/cases/${caseId}/attachments`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.token}` },
    body: form,
  });
  expect(response.status).toBe(201);
  const attachment = (await readResponse<{ result: Attachment[] }>(response)).body.result[0]!;
  return { runId: run.body.id, attachmentId: attachment.id, content };
}

/** The file's text, or null when the copy has no such attachment row (uploaded after the snapshot). */
async function download(api: ApiClient, attachmentId: number): Promise<string | null> {
  const response = await fetch(`${api.baseUrl}/api/v1/attachments/${attachmentId}/download`, {
    headers: { authorization: `Bearer ${api.token}` },
  });
  if (response.status === 404) {
    const { body } = await readResponse<ErrorCollection>(response);
    expect(body.message, "a row without its file").toBe(`Attachment ${attachmentId} does not exist.`);
    return null;
  }
  expect(response.status).toBe(200);
  return response.text();
}
