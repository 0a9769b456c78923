import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite, type Storage } from "./db.js";
import { migrateToLatest } from "./migrate.js";

describe("openSqlite", () => {
  const opened: { storage: Storage; dir: string }[] = [];
  afterEach(async () => {
    for (const { storage, dir } of opened.splice(0)) {
      await storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  function open(synchronous?: "normal" | "full"): Storage {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-db-"));
    const storage = openSqlite(path.join(dir, "assay.sqlite"), synchronous);
    opened.push({ storage, dir });
    return storage;
  }

  it("syncs at checkpoints by default (NORMAL) and at every commit with ASSAY_SQLITE_SYNCHRONOUS=full", () => {
    expect(open().sqlite!.pragma("synchronous", { simple: true })).toBe(1);
    expect(open("full").sqlite!.pragma("synchronous", { simple: true })).toBe(2);
  });

  it("reuses prepared statements, also after a streaming read of the same SQL was broken off", async () => {
    const storage = open();
    await migrateToLatest(storage);
    const { db } = storage;
    const now = new Date().toISOString();
    await db
      .insertInto("projects")
      .values([1, 2, 3].map((n) => ({ name: `p${n}`, is_completed: 0, created_at: now }) as never))
      .execute();
    const query = () => db.selectFrom("projects").select("name").orderBy("id");
    for await (const row of query().stream()) {
      expect(row.name).toBe("p1");
      break;
    }
    expect((await query().execute()).map((r) => r.name)).toEqual(["p1", "p2", "p3"]);
    expect((await query().execute()).map((r) => r.name)).toEqual(["p1", "p2", "p3"]);
    const streamed: string[] = [];
    for await (const row of query().stream()) streamed.push(row.name);
    expect(streamed).toEqual(["p1", "p2", "p3"]);
  });
});
