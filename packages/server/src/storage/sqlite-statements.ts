import type { Storage } from "./db.js";

/** The raw better-sqlite3 connection under Kysely, for the hot paths that run prepared statements on it. */
export type SqliteConnection = NonNullable<Storage["sqlite"]>;

const prepared = new WeakMap<SqliteConnection, Map<(sqlite: SqliteConnection) => unknown, unknown>>();

/**
 * What `prepare` returns for this connection, made on first use and kept as long as the connection: each
 * statement is parsed and planned once, not once per request (a storage opened again gets its own).
 */
export function statementsFor<T>(sqlite: SqliteConnection, prepare: (sqlite: SqliteConnection) => T): T {
  let byPreparer = prepared.get(sqlite);
  if (!byPreparer) {
    byPreparer = new Map();
    prepared.set(sqlite, byPreparer);
  }
  if (!byPreparer.has(prepare)) byPreparer.set(prepare, prepare(sqlite));
  return byPreparer.get(prepare) as T;
}
