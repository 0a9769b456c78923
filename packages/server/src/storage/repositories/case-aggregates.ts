import type { InsightSettings } from "@assay/api";
import { sql, type Transaction } from "kysely";
import {
  AGGREGATE_COLUMNS,
  type CaseAggregates,
  DERIVED_COLUMNS,
  derive,
  type StoredAggregates,
} from "../../services/insights/aggregates.js";
import type { Storage } from "../db.js";
import type { Database } from "../schema.js";

/**
 * Writing a test identity's aggregates back (services/insights/aggregates.ts
 * computes them): one module for ingest, retention and settings changes, so
 * every writer stores the same columns the same way.
 */

/** Every stored aggregate column, as written back. */
export const STORED_COLUMNS = [...AGGREGATE_COLUMNS, ...DERIVED_COLUMNS] as const;
export type StoredColumn = (typeof STORED_COLUMNS)[number];

/** SQL types, for PostgreSQL's VALUES lists (their parameters arrive untyped). */
const COLUMN_TYPES: Record<StoredColumn, "integer" | "bigint" | "text"> = {
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

const ROWS_PER_STATEMENT = 1000;
const sqliteUpdates = new WeakMap<NonNullable<Storage["sqlite"]>, { run(...values: unknown[]): unknown }>();

/** SQLite: a prepared UPDATE per case on the raw connection, inside the caller's transaction. */
export function writeCaseAggregatesSqlite(
  sqlite: NonNullable<Storage["sqlite"]>,
  cases: readonly CaseState[],
  settings: InsightSettings,
): void {
  let update = sqliteUpdates.get(sqlite);
  if (!update) {
    const assignments = STORED_COLUMNS.map((c) => `${c} = ?`).join(", ");
    update = sqlite.prepare(`UPDATE automation_cases SET ${assignments} WHERE id = ?`);
    sqliteUpdates.set(sqlite, update);
  }
  for (const { id, state } of cases) update.run(...storedValues(state, settings), id);
}

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
  const assignments = sql.join(
    STORED_COLUMNS.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}::${sql.raw(COLUMN_TYPES[c])}`),
    sql`, `,
  );
  const columnList = sql.join(["id", ...STORED_COLUMNS].map((c) => sql.ref(c)));
  for (let start = 0; start < cases.length; start += ROWS_PER_STATEMENT) {
    const values = sql.join(
      cases
        .slice(start, start + ROWS_PER_STATEMENT)
        .map(({ id, state }) => sql`(${sql.join([id, ...storedValues(state, settings)])})`),
    );
    await sql`UPDATE automation_cases AS c SET ${assignments} FROM (VALUES ${values}) AS v(${columnList}) WHERE c.id = v.id::integer`.execute(
      trx,
    );
  }
}
