import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export type DialectName = "sqlite" | "postgres";

export interface Storage {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The raw SQLite connection, for the bulk-insert fast path; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

// COUNT(*) and SUM() come back as int8; every such value here fits a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function openStorage(options: { databaseUrl: string | null; dataDir: string }): Storage {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  fs.mkdirSync(options.dataDir, { recursive: true });
  return openSqlite(path.join(options.dataDir, "assay.sqlite"));
}

export function openSqlite(file: string): Storage {
  const sqlite = new SQLite(file);
  // Before anything else: a new database then gives the pages that retention frees back to the file system
  // (`PRAGMA incremental_vacuum` after each pass). On an existing file in mode NONE it only takes effect at the
  // next VACUUM (`assay-server retention run --vacuum`); docs/analytics.md, "Retention".
  sqlite.pragma("auto_vacuum = INCREMENTAL");
  sqlite.pragma("journal_mode = WAL");
  // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // 64 MiB of page cache (the default is 2 MiB): an append touches the test-identity indexes at random
  // places (keys are hashes), and keeping them in memory is worth about 10 % of ingest.
  sqlite.pragma("cache_size = -65536");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", sqlite, close: () => db.destroy() };
}

export function openPostgres(connectionString: string): Storage {
  const pool = new pg.Pool({ connectionString, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", sqlite: null, close: () => db.destroy() };
}
