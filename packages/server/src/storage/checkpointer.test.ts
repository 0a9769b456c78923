import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { BackgroundCheckpointer } from "./checkpointer.js";
import { openSqlite, type Storage } from "./db.js";

const ROW = "x".repeat(1000);

describe("background checkpoints (SQLite)", () => {
  const dirs: string[] = [];
  const opened: Storage[] = [];
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(): { storage: Storage; file: string; logged: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-checkpoint-"));
    dirs.push(dir);
    const file = path.join(dir, "assay.sqlite");
    const storage = openSqlite(file);
    opened.push(storage);
    const logged: string[] = [];
    storage.checkpointInBackground((message) => logged.push(message));
    return { storage, file, logged };
  }

  /** `count` rows of 1 kB, one transaction each (each commit nudges the checkpointer). */
  async function write(storage: Storage, count: number): Promise<void> {
    await sql`CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, value TEXT NOT NULL)`.execute(storage.db);
    for (let i = 0; i < count; i++) {
      await storage.db.transaction().execute((trx) => sql`INSERT INTO filler (value) VALUES (${ROW})`.execute(trx));
    }
  }

  const checkpointerOf = (storage: Storage) => storage.checkpointer as BackgroundCheckpointer;

  it("copies committed pages into the database file from the worker; the server's connection never checkpoints", async () => {
    const { storage, file } = open();
    expect(storage.sqlite!.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    // 6 MB: past SQLite's own threshold (1,000 pages), where the connection itself would have checkpointed.
    await write(storage, 6000);
    const checkpointer = checkpointerOf(storage);
    await checkpointer.idle();
    expect(checkpointer.completed).toBeGreaterThan(0);
    // Many commits share a checkpoint (at most one every 100 ms).
    expect(checkpointer.completed).toBeLessThan(3000);
    expect(checkpointer.last!.log).toBeGreaterThan(0);
    expect(checkpointer.last!.checkpointed).toBe(checkpointer.last!.log);
    expect(fs.statSync(file).size).toBeGreaterThan(6_000_000);
    expect(checkpointer.failed).toBe(0);
  });

  it("closes in order: the worker first, then the server's connection checkpoints the rest and removes the WAL", async () => {
    const { storage, file } = open();
    await write(storage, 300);
    await storage.close();
    opened.splice(opened.indexOf(storage), 1);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const reopened = openSqlite(file);
    opened.push(reopened);
    expect(reopened.sqlite!.prepare("SELECT count(*) AS n FROM filler").get()).toEqual({ n: 300 });
  });

  it("hands checkpoints back to SQLite when the worker dies, and says so", async () => {
    const { storage, logged } = open();
    const checkpointer = checkpointerOf(storage);
    await (checkpointer as unknown as { worker: Worker }).worker.terminate();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(checkpointer.running).toBe(false);
    expect(storage.sqlite!.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect(logged).toEqual([
      expect.stringMatching(/checkpoint worker exited.*SQLite checkpoints on the server's connection again/),
    ]);
    // Writes go on; SQLite's own checkpoints keep the WAL from growing without bound.
    await write(storage, 6000);
    const [row] = storage.sqlite!.pragma("wal_checkpoint(PASSIVE)") as { log: number }[];
    expect(row!.log).toBeLessThan(1100);
  });

  it("is not started for an in-memory database", () => {
    const storage = openSqlite(":memory:");
    opened.push(storage);
    expect(storage.checkpointInBackground(() => {})).toBeNull();
    expect(storage.sqlite!.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });
});
