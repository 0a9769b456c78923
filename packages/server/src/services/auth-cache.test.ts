import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqlite, type Storage } from "../storage/db.js";
import { migrateToLatest } from "../storage/migrate.js";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient } from "../test-support/http.js";
import { startServerProcess, type TestServer } from "../test-support/server-process.js";
import { AUTH_CACHE_MS, AuthCache } from "./auth-cache.js";

const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
/** The documented bound, plus room for a busy machine to answer. */
const past = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BOUND = AUTH_CACHE_MS + 250;

describe("AuthCache", () => {
  it("shares one read between concurrent requests and forgets a missing token", async () => {
    const cache = new AuthCache(60_000);
    let reads = 0;
    const load = async () => {
      reads++;
      return reads === 1 ? undefined : { id: reads };
    };
    expect(await cache.token("h", load)).toBeUndefined();
    const [a, b] = await Promise.all([cache.token("h", load), cache.token("h", load)]);
    expect(a).toEqual({ id: 2 });
    expect(b).toBe(a);
    expect(reads).toBe(2);
  });

  it("keeps nothing read while it was invalidated, and nothing past its lifetime", async () => {
    const cache = new AuthCache(60_000);
    let release: () => void = () => {};
    let reads = 0;
    const slow = () =>
      new Promise<number[]>((resolve) => {
        reads++;
        release = () => resolve([reads]);
      });
    const first = cache.userGroupIds(1, slow);
    cache.invalidate();
    release();
    expect(await first).toEqual([1]);
    const second = cache.userGroupIds(1, slow);
    release();
    expect(await second).toEqual([2]);

    const brief = new AuthCache(1);
    let n = 0;
    await brief.userGroupIds(1, async () => [++n]);
    await past(5);
    expect(await brief.userGroupIds(1, async () => [++n])).toEqual([2]);
  });
});

describe("writes through the storage handle clear the cache", () => {
  let dir: string;
  let storage: Storage;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-auth-cache-"));
    storage = openSqlite(path.join(dir, "assay.sqlite"));
    await migrateToLatest(storage);
  });
  afterAll(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function readsAfter(write: () => Promise<unknown>): Promise<number> {
    storage.authCache.invalidate();
    let reads = 0;
    const load = async () => ({ read: ++reads });
    await storage.authCache.token("digest", load);
    await write();
    await storage.authCache.token("digest", load);
    return reads;
  }

  it("an update of users, roles or project access, in or out of a transaction", async () => {
    const { db } = storage;
    expect(await readsAfter(() => db.updateTable("roles").set({ permissions: 1 }).where("id", "=", 99).execute())).toBe(
      2,
    );
    expect(
      await readsAfter(() =>
        db.transaction().execute((trx) => trx.deleteFrom("project_access").where("project_id", "=", 99).execute()),
      ),
    ).toBe(2);
    expect(
      await readsAfter(() => db.updateTable("api_tokens").set({ revoked_at: "now" }).where("id", "=", 99).execute()),
    ).toBe(2);
  });

  it("but not stamping a token's last use, nor writing other tables", async () => {
    const { db } = storage;
    expect(
      await readsAfter(() => db.updateTable("api_tokens").set({ last_used_at: "now" }).where("id", "=", 99).execute()),
    ).toBe(1);
    expect(
      await readsAfter(() => db.updateTable("automation_runs").set({ name: "x" }).where("id", "=", 99).execute()),
    ).toBe(1);
  });
});

/**
 * Two server instances on one database (SQLite: one file; PostgreSQL: one database and Redis) and the
 * `assay-server` command as a third writer: a revoked token or a removed permission stops working at once
 * on the instance that made the change and within AUTH_CACHE_MS everywhere else.
 */
describe.each(BACKENDS)("revocation across instances on %s", (backend) => {
  let one: TestServer;
  let two: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    one = await startServerProcess({ backend, env: { ASSAY_RATE_LIMIT_REQUESTS: "100000" } });
    two = await startServerProcess({ sharing: one, env: { ASSAY_RATE_LIMIT_REQUESTS: "100000" } });
    admin = new ApiClient(one.url, one.token);
  });
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  async function newTester(name: string): Promise<{ id: number; token: string }> {
    const created = await admin.post("/x/users", { email: `${name}@example.com`, name, token_name: "ci" });
    expect(created.status).toBe(201);
    return created.body;
  }

  /** The user's requests through both instances, so each has them cached. */
  async function statusOn(token: string, pathname: string): Promise<[number, number]> {
    const [a, b] = await Promise.all([
      new ApiClient(one.url, token).get(pathname),
      new ApiClient(two.url, token).get(pathname),
    ]);
    return [a.status, b.status];
  }

  it("a token revoked through one instance", async () => {
    const user = await newTester("revoked");
    expect(await statusOn(user.token, "/user")).toEqual([200, 200]);
    const own = new ApiClient(one.url, user.token);
    const tokenId = (await own.get("/x/me/tokens")).body.result[0].id;
    expect((await own.request("DELETE", `/x/me/tokens/${tokenId}`)).status).toBe(204);
    expect((await own.get("/user")).status).toBe(401);
    await past(BOUND);
    expect(await statusOn(user.token, "/user")).toEqual([401, 401]);
  });

  it("a project access removed through one instance", async () => {
    const user = await newTester("removed");
    expect(await statusOn(user.token, "/projects/1/automation/runs")).toEqual([200, 200]);
    const put = await admin.request("PUT", "/x/projects/1/access", { body: { user_id: user.id, role: null } });
    expect(put.status).toBe(204);
    expect((await new ApiClient(one.url, user.token).get("/projects/1/automation/runs")).status).toBe(403);
    await past(BOUND);
    expect(await statusOn(user.token, "/projects/1/automation/runs")).toEqual([403, 403]);
  });

  it("a token revoked by `assay-server token revoke` in another process", async () => {
    const user = await newTester("shell");
    expect(await statusOn(user.token, "/user")).toEqual([200, 200]);
    const tokenId = (await new ApiClient(one.url, user.token).get("/x/me/tokens")).body.result[0].id;
    await command(one, ["token", "revoke", "--id", String(tokenId)]);
    await past(BOUND);
    expect(await statusOn(user.token, "/user")).toEqual([401, 401]);
  });
});

function command(server: TestServer, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...server.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => {
      output += c;
    });
    child.stderr.on("data", (c) => {
      output += c;
    });
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`assay-server ${args.join(" ")}: ${output}`)),
    );
  });
}
