import { sql } from "kysely";
import type { Storage } from "../db.js";
import { type SqliteConnection, statementsFor } from "../sqlite-statements.js";

/**
 * The test rows a run comparison reads (services/insights/comparison.ts), in three widths: every row of a run
 * narrow (ids, status, elapsed), then names of the few rows whose order matters, then everything shown for
 * the rows listed. Materialising name, folder and message of every row of a 100,000-test run was most of a
 * comparison's time. SQLite's statements are prepared once per connection; PostgreSQL's are built with Kysely.
 */

/** A test result as the merge needs it: automation_run_tests.id, case_id, status_id, elapsed (µs). */
export type NarrowTestRow = [id: number, caseId: number, statusId: number, elapsed: number | null];

export interface TestName {
  name: string;
  folder: string;
}

export interface TestDetails extends TestName {
  message: string | null;
  failure_group_id: number | null;
}

export interface ComparisonTestReader {
  /** Every test result of a run (the (run_id, id) index); a retried test's last result is the one with the highest id. */
  narrowTests(runId: number): Promise<NarrowTestRow[]>;
  /** Name and folder of these automation_run_tests rows, by id: one query. */
  namesOf(ids: readonly number[]): Promise<Map<number, TestName>>;
  /** What a listed test shows of these rows, by id: one query. */
  detailsOf(ids: readonly number[]): Promise<Map<number, TestDetails>>;
}

export function comparisonTestReader(storage: Storage): ComparisonTestReader {
  return storage.sqlite ? sqliteReader(storage.sqlite) : kyselyReader(storage.db);
}

// ------------------------------------------------------------------ SQLite

/** The ids go in as one JSON array: any number of them, one statement text. */
const BY_IDS = "WHERE id IN (SELECT value FROM json_each(?))";

/**
 * Per-row arrays cost: better-sqlite3 makes one JS array per row, about half of a narrow read of 100,000
 * rows. So the rows of a run come as one JSON array of numbers (four per row), and names as three JSON arrays
 * of columns, which JSON.parse turns into values much faster. (The merge orders results by id, not by
 * their place in the string.) The texts are exported for the check of their query plans.
 */
export const SQLITE_COMPARISON_SQL = {
  narrow: `SELECT '[' || group_concat(id || ',' || case_id || ',' || status_id || ',' || ifnull(elapsed, 'null')) || ']'
    FROM (SELECT id, case_id, status_id, elapsed FROM automation_run_tests WHERE run_id = ? ORDER BY id)`,
  names: `SELECT json_group_array(id) AS ids, json_group_array(name) AS names, json_group_array(folder) AS folders
    FROM automation_run_tests ${BY_IDS}`,
  details: `SELECT id, name, folder, message, failure_group_id FROM automation_run_tests ${BY_IDS}`,
};

function prepareSqlite(sqlite: SqliteConnection) {
  return {
    narrow: sqlite.prepare(SQLITE_COMPARISON_SQL.narrow).pluck(),
    names: sqlite.prepare(SQLITE_COMPARISON_SQL.names),
    details: sqlite.prepare(SQLITE_COMPARISON_SQL.details).raw(),
  };
}

const FIELDS = 4;

/** [id, case, status, elapsed, id, case, …] → rows. */
function narrowRows(flat: (number | null)[]): NarrowTestRow[] {
  const rows = new Array<NarrowTestRow>(flat.length / FIELDS);
  for (let i = 0, at = 0; at < flat.length; i++, at += FIELDS) {
    rows[i] = [flat[at]!, flat[at + 1]!, flat[at + 2]!, flat[at + 3]!];
  }
  return rows;
}

function sqliteReader(sqlite: SqliteConnection): ComparisonTestReader {
  const s = statementsFor(sqlite, prepareSqlite);
  return {
    async narrowTests(runId) {
      // group_concat of no rows is NULL.
      const json = s.narrow.get(runId) as string | null;
      return json === null ? [] : narrowRows(JSON.parse(json));
    },
    async namesOf(ids) {
      if (ids.length === 0) return new Map();
      const columns = s.names.get(JSON.stringify(ids)) as { ids: string; names: string; folders: string };
      const [rowIds, names, folders] = [columns.ids, columns.names, columns.folders].map((c) => JSON.parse(c)) as [
        number[],
        string[],
        string[],
      ];
      return new Map(rowIds.map((id, i) => [id, { name: names[i]!, folder: folders[i]! }]));
    },
    async detailsOf(ids) {
      if (ids.length === 0) return new Map();
      const rows = s.details.all(JSON.stringify(ids)) as [number, string, string, string | null, number | null][];
      return new Map(
        rows.map(([id, name, folder, message, failure_group_id]) => [id, { name, folder, message, failure_group_id }]),
      );
    },
  };
}

// ------------------------------------------------------------------ PostgreSQL

function kyselyReader(db: Storage["db"]): ComparisonTestReader {
  // One array parameter, whatever the number of ids (a list of placeholders stops at 65,535).
  const byIds = (ids: readonly number[]) => sql<boolean>`id = any(${[...ids]}::integer[])`;
  return {
    async narrowTests(runId) {
      const rows = await db
        .selectFrom("automation_run_tests")
        .select(["id", "case_id", "status_id", "elapsed"])
        .where("run_id", "=", runId)
        .orderBy("id")
        .execute();
      return rows.map((r) => [r.id, r.case_id, r.status_id, r.elapsed === null ? null : Number(r.elapsed)]);
    },
    async namesOf(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom("automation_run_tests")
        .select(["id", "name", "folder"])
        .where(byIds(ids))
        .execute();
      return new Map(rows.map(({ id, ...name }) => [id, name]));
    },
    async detailsOf(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom("automation_run_tests")
        .select(["id", "name", "folder", "message", "failure_group_id"])
        .where(byIds(ids))
        .execute();
      return new Map(rows.map(({ id, ...details }) => [id, details]));
    },
  };
}
