import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { type DatabaseConnection, type Dialect, type Driver, Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { AuthCache, authInvalidationPlugin } from "../services/auth-cache.js";
import { BackgroundCheckpointer, type CheckpointLogger } from "./checkpointer.js";
import type { Database } from "./schema.js";

export type DialectName = "sqlite" | "postgres";

export interface Storage {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The raw SQLite connection, for the bulk-insert fast path; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  /** The PostgreSQL pool (its sizes are exported as metrics); absent on SQLite. */
  pool?: pg.Pool;
  /** What API requests read about tokens and access, kept briefly (services/auth-cache.ts). */
  authCache: AuthCache;
  /**
   * Moves SQLite's WAL checkpoints to a worker thread (storage/checkpointer.ts); the server does this once it
   * has a logger. Null on PostgreSQL and for an in-memory database.
   */
  checkpointInBackground(log: CheckpointLogger): BackgroundCheckpointer | null;
  /** The checkpointer once started, else null. */
  readonly checkpointer: BackgroundCheckpointer | null;
  close(): Promise<void>;
}

// COUNT(*) and SUM() come back as int8; every such value here fits a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function openStorage(options: {
  databaseUrl: string | null;
  dataDir: string;
  sqliteSynchronous?: "normal" | "full";
  /** How long a new PostgreSQL connection may take (a host that drops packets would hang forever). */
  databaseConnectTimeoutSeconds?: number;
}): Storage {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.databaseConnectTimeoutSeconds);
  fs.mkdirSync(options.dataDir, { recursive: true });
  return openSqlite(path.join(options.dataDir, "assay.sqlite"), options.sqliteSynchronous);
}

/**
 * `synchronous`: NORMAL (the default) in WAL mode keeps every commit through a crash of the process but may lose
 * the last ones on power failure or an OS crash (the WAL is synced at checkpoints only); FULL syncs the WAL at
 * every commit and keeps them, at a cost in ingest rate (README, "Durability"; `npm run bench` measures it).
 */
export function openSqlite(file: string, synchronous: "normal" | "full" = "normal"): Storage {
  const sqlite = new SQLite(file);
  // First: switching to WAL needs a lock that another process (the running server, while `assay-server demo`
  // or a backup opens the file) may hold for a moment; without a busy timeout that is "database is locked".
  sqlite.pragma("busy_timeout = 5000");
  // Before anything else: a new database then gives the pages that retention frees back to the file system
  // (`PRAGMA incremental_vacuum` after each pass). On an existing file in mode NONE it only takes effect at the
  // next VACUUM (`assay-server retention run --vacuum`); docs/analytics.md, "Retention".
  sqlite.pragma("auto_vacuum = INCREMENTAL");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
  sqlite.pragma("foreign_keys = ON");
  // 64 MiB of page cache (the default is 2 MiB): an append touches the test-identity indexes at random
  // places (keys are hashes), and keeping them in memory is worth about 10 % of ingest.
  sqlite.pragma("cache_size = -65536");
  // A WAL that a long upload grew is cut back to this size once it is checkpointed and restarts.
  sqlite.pragma("journal_size_limit = 67108864");
  const authCache = new AuthCache();
  let checkpointer: BackgroundCheckpointer | null = null;
  const dialect = new SqliteDialect({ database: { prepare: cachedPrepare(sqlite), close: () => sqlite.close() } });
  const db = new Kysely<Database>({
    dialect: withCommitHook(dialect, (committed) => {
      authCache.afterTransaction();
      if (committed) checkpointer?.nudge();
    }),
    plugins: [authInvalidationPlugin(authCache)],
  });
  return {
    db,
    dialect: "sqlite",
    sqlite,
    authCache,
    get checkpointer() {
      return checkpointer;
    },
    checkpointInBackground(log) {
      if (checkpointer || sqlite.memory) return checkpointer;
      checkpointer = new BackgroundCheckpointer(sqlite, file, synchronous, log);
      return checkpointer;
    },
    async close() {
      // The worker's connection goes first, so the server's is the last one and its close checkpoints the rest.
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

/** Prepared statements kept per SQL text; beyond this many the oldest is dropped. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; SQLite compiles the same few hundred SQL texts over and over (a tenth
 * of a cheap request's time). The statement is reused unless it is busy (a streaming read still iterating).
 */
function cachedPrepare(sqlite: SQLite.Database): (sql: string) => SQLite.Statement {
  const statements = new Map<string, SQLite.Statement>();
  return (sql) => {
    const cached = statements.get(sql);
    if (cached && !cached.busy) return cached;
    const statement = sqlite.prepare(sql);
    if (cached) return statement;
    if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    statements.set(sql, statement);
    return statement;
  };
}

/** The dialect, with `after` called once each transaction has committed (true) or rolled back (false). */
function withCommitHook(dialect: Dialect, after: (committed: boolean) => void): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new CommitHookDriver(dialect.createDriver(), after),
  };
}

class CommitHookDriver implements Driver {
  constructor(
    private readonly driver: Driver,
    private readonly after: (committed: boolean) => void,
  ) {}

  init = () => this.driver.init();
  acquireConnection = () => this.driver.acquireConnection();
  beginTransaction: Driver["beginTransaction"] = (c, settings) => this.driver.beginTransaction(c, settings);
  releaseConnection: Driver["releaseConnection"] = (c) => this.driver.releaseConnection(c);
  destroy = () => this.driver.destroy();
  savepoint: Driver["savepoint"] = (c, name, compile) => this.driver.savepoint!(c, name, compile);
  rollbackToSavepoint: Driver["rollbackToSavepoint"] = (c, name, compile) =>
    this.driver.rollbackToSavepoint!(c, name, compile);
  releaseSavepoint: Driver["releaseSavepoint"] = (c, name, compile) => this.driver.releaseSavepoint!(c, name, compile);

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.driver.commitTransaction(connection);
    } finally {
      this.after(true);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.driver.rollbackTransaction(connection);
    } finally {
      this.after(false);
    }
  }
}

export function openPostgres(connectionString: string, connectTimeoutSeconds = 10): Storage {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: connectTimeoutSeconds * 1000 });
  const authCache = new AuthCache();
  const db = new Kysely<Database>({
    dialect: withCommitHook(new PostgresDialect({ pool }), () => authCache.afterTransaction()),
    plugins: [authInvalidationPlugin(authCache)],
  });
  return {
    db,
    dialect: "postgres",
    sqlite: null,
    pool,
    authCache,
    checkpointInBackground: () => null,
    checkpointer: null,
    close: () => db.destroy(),
  };
}
