import type { InsightSettings } from "@assay/api";
import { CompiledQuery, type Transaction } from "kysely";
import {
  AGGREGATE_COLUMNS,
  type CaseAggregates,
  DERIVED_COLUMNS,
  derive,
  type StoredAggregates,
} from "../../services/insights/aggregates.js";
import type { Storage } from "../db.js";
import type { Database } from "../schema.js";
import { type SqliteConnection, statementsFor } from "../sqlite-statements.js";

/**
 * Writing a test identity's aggregates back (services/insights/aggregates.ts
 * computes them): one module for ingest, retention and settings changes, so
 * every writer stores the same columns the same way.
 */

/** Every stored aggregate column, as written back. */
export const STORED_COLUMNS = [...AGGREGATE_COLUMNS, ...DERIVED_COLUMNS] as const;
export type StoredColumn = (typeof STORED_COLUMNS)[number];

/** SQL types, for PostgreSQL's array parameters (they arrive untyped). */
export const COLUMN_TYPES: Record<StoredColumn, "integer" | "bigint" | "text"> = {
  status: "integer",
  result_count: "integer",
  success_count: "integer",
  failure_count: "integer",
  skipped_count: "integer",
  elapsed_count: "integer",
  elapsed_total: "bigint",
  recent_elapsed: "text",
  recent_outcomes: "text",
  last_commit_key: "text",
  last_commit_outcomes: "integer",
  last_run_id: "integer",
  last_failure_group_id: "integer",
  last_result_at: "text",
  last_failed_at: "text",
  last_passed_at: "text",
  elapsed_average: "bigint",
  elapsed_p95: "bigint",
  elapsed_change_percent: "integer",
  flaky_percent: "integer",
  is_flaky: "integer",
};

export interface CaseState {
  id: number;
  state: CaseAggregates;
}

/** The stored columns of a state, in STORED_COLUMNS order. */
export function storedValues(state: CaseAggregates, settings: InsightSettings): unknown[] {
  const derived = derive(state, settings);
  // Spelled out rather than mapped over STORED_COLUMNS: this runs once per test identity per append.
  return [
    state.status,
    state.result_count,
    state.success_count,
    state.failure_count,
    state.skipped_count,
    state.elapsed_count,
    state.elapsed_total,
    JSON.stringify(state.recent_elapsed),
    state.recent_outcomes,
    state.last_commit_key,
    state.last_commit_outcomes,
    state.last_run_id,
    state.last_failure_group_id,
    state.last_result_at,
    state.last_failed_at,
    state.last_passed_at,
    derived.elapsed_average,
    derived.elapsed_p95,
    derived.elapsed_change_percent,
    derived.flaky_percent,
    derived.is_flaky,
  ];
}

export type StoredAggregateRow = StoredAggregates & { id: number };

function prepareUpdate(sqlite: SqliteConnection) {
  return sqlite.prepare(`UPDATE automation_cases SET ${STORED_COLUMNS.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`);
}

/** SQLite: a prepared UPDATE per case on the raw connection, inside the caller's transaction. */
export function writeCaseAggregatesSqlite(
  sqlite: SqliteConnection,
  cases: readonly CaseState[],
  settings: InsightSettings,
): void {
  const update = statementsFor(sqlite, prepareUpdate);
  for (const { id, state } of cases) update.run(...storedValues(state, settings), id);
}

/**
 * PostgreSQL: one statement whatever the number of cases, one array parameter per column (unnest), so there is
 * no statement of tens of thousands of parameters to build, bind and parse, and no parameter limit to chunk around.
 */
const AGGREGATES_UPDATE = (() => {
  const assignments = STORED_COLUMNS.map((c) => `"${c}" = v."${c}"`).join(", ");
  const arrays = STORED_COLUMNS.map((c, i) => `$${i + 2}::${COLUMN_TYPES[c]}[]`).join(", ");
  const names = STORED_COLUMNS.map((c) => `"${c}"`).join(", ");
  return `UPDATE automation_cases AS c SET ${assignments} FROM unnest($1::integer[], ${arrays}) AS v(id, ${names}) WHERE c.id = v.id`;
})();

/** Writes the cases' aggregates in the caller's transaction. */
export async function writeCaseAggregates(
  storage: Storage,
  trx: Transaction<Database>,
  cases: readonly CaseState[],
  settings: InsightSettings,
): Promise<void> {
  if (cases.length === 0) return;
  if (storage.sqlite) {
    writeCaseAggregatesSqlite(storage.sqlite, cases, settings);
    return;
  }
  const columns: unknown[][] = Array.from({ length: STORED_COLUMNS.length + 1 }, () => new Array(cases.length));
  cases.forEach(({ id, state }, row) => {
    columns[0]![row] = id;
    storedValues(state, settings).forEach((value, i) => {
      columns[i + 1]![row] = value;
    });
  });
  await trx.executeQuery(CompiledQuery.raw(AGGREGATES_UPDATE, columns));
}
