import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import type { Config } from "../../config.js";
import { type ArchiveEntry, ArchiveError, readArchive, writeArchive } from "./archive.js";

/**
 * `assay-server backup` / `restore` for the embedded SQLite database: one
 * .tar.gz with a manifest, a consistent copy of the database (SQLite's online
 * backup API, while the server runs) and every other file of ASSAY_DATA_DIR
 * (the stored attachments). PostgreSQL deployments use pg_dump instead.
 */
export class BackupError extends Error {}

const DATABASE = "assay.sqlite";
const MANIFEST = "assay-backup.json";
const FORMAT = 1;

export interface BackupSummary {
  databaseBytes: number;
  files: number;
}

export async function backup(config: Config, target: string): Promise<BackupSummary> {
  refusePostgres(config, "back up");
  const source = path.join(config.dataDir, DATABASE);
  if (!fs.existsSync(source)) {
    throw new BackupError(`There is no database to back up: ${source} does not exist (check ASSAY_DATA_DIR).`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "assay-backup-"));
  try {
    const snapshot = path.join(work, DATABASE);
    await snapshotDatabase(source, snapshot);
    // After the snapshot: every file its rows name was complete before they were committed.
    const files = listFiles(config.dataDir, path.resolve(target));
    const manifest = path.join(work, MANIFEST);
    fs.writeFileSync(
      manifest,
      `${JSON.stringify({ format: FORMAT, created_at: new Date().toISOString(), database: DATABASE, files: files.length })}\n`,
    );
    await writeArchive(target, [{ name: MANIFEST, file: manifest }, { name: DATABASE, file: snapshot }, ...files]);
    return { databaseBytes: fs.statSync(snapshot).size, files: files.length };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A point-in-time copy while other processes write: after a first step, the
 * rest is copied in one step, under one read transaction (WAL lets writers go
 * on meanwhile), so the copy is one consistent state of the database.
 */
async function snapshotDatabase(source: string, target: string): Promise<void> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(target, { progress: () => Number.MAX_SAFE_INTEGER });
  } finally {
    db.close();
  }
  checkDatabase(target);
}

function checkDatabase(file: string): void {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    const result = db.pragma("quick_check", { simple: true });
    if (result !== "ok") throw new BackupError(`The database copy failed its integrity check: ${String(result)}.`);
  } finally {
    db.close();
  }
}

/** Every file under the data directory but those skipped below (and the backup being written). */
function listFiles(dataDir: string, exclude: string): ArchiveEntry[] {
  // The live database's files (the snapshot replaces them) and `incoming/`, where uploads are spooled
  // before they are stored: half-received files no row refers to.
  const skip = new Set([DATABASE, `${DATABASE}-wal`, `${DATABASE}-shm`, `${DATABASE}-journal`, "incoming"]);
  const entries: ArchiveEntry[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, item.name);
      const name = prefix ? `${prefix}/${item.name}` : item.name;
      if (prefix === "" && skip.has(item.name)) continue;
      if (item.isDirectory()) walk(file, name);
      else if (item.isFile() && !isPartOf(file, exclude)) {
        entries.push({ name, file });
      }
    }
  };
  walk(dataDir, "");
  return entries;
}

function isPartOf(file: string, target: string): boolean {
  return file === target || file === `${target}.partial`;
}

/** Unpacks a backup into ASSAY_DATA_DIR, which must be empty or absent (never overwrites a database). */
export async function restore(config: Config, source: string): Promise<BackupSummary> {
  refusePostgres(config, "restore");
  if (!fs.existsSync(source)) throw new BackupError(`The backup ${source} does not exist.`);
  const dataDir = config.dataDir;
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new BackupError(
      `ASSAY_DATA_DIR (${dataDir}) is not empty: stop the server, move that directory aside, and restore into an empty or new one.`,
    );
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  // Unpacked beside the target and renamed at the end: a failed restore leaves no half a data directory.
  const staging = fs.mkdtempSync(`${dataDir}.restoring-`);
  try {
    const count = await readArchive(source, staging, (name, index) => {
      if (index === 0 && name !== MANIFEST) throw new BackupError(`${source} is not an Assay backup (no ${MANIFEST}).`);
    }).catch((error: unknown) => {
      throw error instanceof ArchiveError ? new BackupError(`${source}: ${error.message}`) : error;
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(staging, MANIFEST), "utf8")) as { format?: number };
    if (manifest.format !== FORMAT) {
      throw new BackupError(`${source} has backup format ${manifest.format}; this Assay reads format ${FORMAT}.`);
    }
    fs.rmSync(path.join(staging, MANIFEST));
    checkDatabase(path.join(staging, DATABASE));
    if (fs.existsSync(dataDir)) fs.rmdirSync(dataDir);
    fs.renameSync(staging, dataDir);
    return { databaseBytes: fs.statSync(path.join(dataDir, DATABASE)).size, files: count - 2 };
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

function refusePostgres(config: Config, verb: string): void {
  if (config.databaseUrl) {
    throw new BackupError(
      `ASSAY_DATABASE_URL is set: ${verb} PostgreSQL with pg_dump / pg_restore, and the attachments directory (ASSAY_DATA_DIR/attachments) with any file copy; see docs/operations.md, "Back up".`,
    );
  }
}
