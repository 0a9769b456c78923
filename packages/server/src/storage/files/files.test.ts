import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../config.js";
import { startS3, type TestS3 } from "../../test-support/s3.js";
import { createFileStore, type FileStore, FileStoreUnavailableError, LocalFileStore } from "./index.js";
import { S3FileStore } from "./s3.js";

const MAIN = fileURLToPath(new URL("../../../dist/main.js", import.meta.url));

let s3: TestS3;
let tmp: string;

beforeAll(async () => {
  s3 = await startS3(["assay-files"]);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "assay-files-"));
});
afterAll(async () => {
  await s3?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function s3Store(env: Record<string, string> = {}): S3FileStore {
  const config = loadConfig({ ASSAY_DATA_DIR: tmp, ...s3.env("assay-files", "unit/"), ...env });
  return new S3FileStore(config.s3!);
}

describe.each([
  ["local directory", () => new LocalFileStore(path.join(tmp, "attachments"))],
  ["S3 bucket", () => s3Store()],
])("the file store in a %s", (_name, make: () => FileStore) => {
  it("stores a file (moved from disk) and bytes, streams them back, removes them", async () => {
    const store = make();
    await store.check();
    const spooled = path.join(tmp, `spooled-${Math.random()}`);
    const big = Buffer.alloc(3 * 1024 * 1024, "a");
    fs.writeFileSync(spooled, big);
    await store.put("key-one", { path: spooled }, "application/octet-stream");
    await store.put("key-two", { bytes: Buffer.from("hello") }, "text/plain");
    const one = await store.open("key-one");
    expect(one?.size).toBe(big.length);
    expect((await text(one!.stream)).length).toBe(big.length);
    const two = await store.open("key-two");
    expect(await text(two!.stream)).toBe("hello");
    expect(await store.open("missing")).toBeNull();
    await store.remove(["key-one", "key-two", "never-there"]);
    expect(await store.open("key-one")).toBeNull();
    expect(await store.open("key-two")).toBeNull();
    store.close();
  });
});

describe("the S3 store", () => {
  it("is the store when ASSAY_S3_BUCKET is set; the local directory is otherwise", async () => {
    const local = await createFileStore(loadConfig({ ASSAY_DATA_DIR: tmp }));
    expect(local).toBeInstanceOf(LocalFileStore);
    const bucket = await createFileStore(loadConfig({ ASSAY_DATA_DIR: tmp, ...s3.env("assay-files") }));
    expect(bucket).toBeInstanceOf(S3FileStore);
    expect(bucket.location).toContain("assay-files");
    bucket.close();
  });

  it("keeps objects under ASSAY_S3_PREFIX", async () => {
    const store = s3Store({ ASSAY_S3_PREFIX: "team-a/files/" });
    await store.put("k1", { bytes: Buffer.from("x") }, "text/plain");
    expect(await s3.keys("assay-files")).toContain("team-a/files/k1");
    await store.remove(["k1"]);
    expect(await s3.keys("assay-files")).not.toContain("team-a/files/k1");
    store.close();
  });

  it("says at start-up, in one sentence naming the setting, what is wrong with the bucket", async () => {
    const failures: [Record<string, string>, string][] = [
      [{ ASSAY_S3_BUCKET: "no-such-bucket" }, "ASSAY_S3_BUCKET"],
      // s3rver checks the key id, not the signature
      [{ ASSAY_S3_ACCESS_KEY_ID: "WRONG" }, "ASSAY_S3_ACCESS_KEY_ID"],
      [{ ASSAY_S3_ENDPOINT: "http://127.0.0.1:9" }, "ASSAY_S3_ENDPOINT"],
    ];
    for (const [env, setting] of failures) {
      const store = s3Store(env);
      const error = await store.check().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, setting).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain(setting);
      expect(message.match(/\. /g), message).toBeNull();
      store.close();
    }
  });

  it("turns an unreachable bucket during a request into a retryable 503 naming the setting", async () => {
    const store = s3Store({ ASSAY_S3_ENDPOINT: "http://127.0.0.1:9" });
    const put = await store.put("k", { bytes: Buffer.from("x") }, "text/plain").catch((e: unknown) => e);
    expect(put).toBeInstanceOf(FileStoreUnavailableError);
    expect((put as FileStoreUnavailableError).statusCode).toBe(503);
    expect((put as FileStoreUnavailableError).headers["retry-after"]).toBeDefined();
    expect((put as Error).message).toContain("ASSAY_S3_ENDPOINT");
    const open = await store.open("k").catch((e: unknown) => e);
    expect(open).toBeInstanceOf(FileStoreUnavailableError);
    store.close();
  });
});

describe("ASSAY_S3_* settings", () => {
  it("reads them, with the local directory as the default", () => {
    expect(loadConfig({}).s3).toBeNull();
    expect(loadConfig({ ASSAY_S3_BUCKET: "files", ASSAY_S3_FORCE_PATH_STYLE: "true" }).s3).toEqual({
      bucket: "files",
      endpoint: null,
      region: "us-east-1",
      credentials: null,
      forcePathStyle: true,
      prefix: "attachments/",
    });
    expect(loadConfig({}).maxUploadFiles).toBe(100);
  });

  it("refuses invalid values with a message naming the variable", () => {
    const invalid: [Record<string, string>, string][] = [
      [{ ASSAY_S3_BUCKET: "No_Such" }, "ASSAY_S3_BUCKET"],
      [{ ASSAY_S3_ENDPOINT: "http://x" }, "ASSAY_S3_BUCKET"],
      [{ ASSAY_S3_BUCKET: "files", ASSAY_S3_ENDPOINT: "ftp://x" }, "ASSAY_S3_ENDPOINT"],
      [{ ASSAY_S3_BUCKET: "files", ASSAY_S3_ACCESS_KEY_ID: "k" }, "ASSAY_S3_SECRET_ACCESS_KEY"],
      [{ ASSAY_S3_BUCKET: "files", ASSAY_S3_FORCE_PATH_STYLE: "maybe" }, "ASSAY_S3_FORCE_PATH_STYLE"],
      [{ ASSAY_S3_BUCKET: "files", ASSAY_S3_PREFIX: "/abs" }, "ASSAY_S3_PREFIX"],
      [{ ASSAY_MAX_UPLOAD_FILES: "0" }, "ASSAY_MAX_UPLOAD_FILES"],
    ];
    for (const [env, name] of invalid) expect(() => loadConfig(env), name).toThrow(name);
  });
});

describe("the demo with an S3 bucket", () => {
  it("puts its attachment files into the bucket and prints no AWS SDK warning", async () => {
    const dataDir = fs.mkdtempSync(path.join(tmp, "demo-"));
    const child = spawn(process.execPath, [MAIN, "demo"], {
      env: {
        PATH: process.env.PATH ?? "",
        ASSAY_DATA_DIR: dataDir,
        ASSAY_ADMIN_TOKEN: "assay_demo_token_0123456789",
        ...s3.env("assay-files", "demo/"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [stdout, stderr, code] = await Promise.all([
      text(child.stdout),
      text(child.stderr),
      new Promise((resolve) => child.once("exit", resolve)),
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Created project "Demo"');
    expect(stderr).not.toContain("NodeVersionSupportWarning");
    expect((await s3.keys("assay-files")).filter((k) => k.startsWith("demo/")).length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dataDir, "attachments"))).toBe(false);
  }, 120_000);
});
