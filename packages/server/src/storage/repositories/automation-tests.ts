import type { CreateAutomationTest, InsightSettings } from "@assay/api";
import { CompiledQuery, sql, type Transaction } from "kysely";
import {
  AGGREGATE_COLUMNS,
  applyResult,
  type CaseAggregates,
  emptyAggregates,
  fromColumns,
  type StoredAggregates,
} from "../../services/insights/aggregates.js";
import type { FailureDetail } from "../../services/insights/failures.js";
import type { Storage } from "../db.js";
import type { Database } from "../schema.js";
import { type SqliteConnection, statementsFor } from "../sqlite-statements.js";
import {
  type CaseState,
  COLUMN_TYPES,
  STORED_COLUMNS,
  storedValues,
  writeCaseAggregates,
  writeCaseAggregatesSqlite,
} from "./case-aggregates.js";
import { type FailureGroupRecorder, recordFailureGroups } from "./failure-groups.js";

/** A validated test, its status alias resolved to a status id and its outcome and failure worked out. */
export interface IncomingTest {
  test: CreateAutomationTest;
  statusId: number;
  /** TestOutcome: 1 neutral, 2 success, 3 failure */
  outcome: number;
  /** the failure's signature and first line, for failed tests that carry a failure field */
  failure: FailureDetail | null;
}

export interface TestTarget {
  projectId: number;
  sourceId: number;
  runId: number;
  threadId: number;
  now: string;
  /** the run's commit, or `run:<id>`: same-commit flakiness */
  commitKey: string;
  settings: InsightSettings;
}

const TEST_COLUMNS = [
  "run_id",
  "thread_id",
  "case_id",
  "name",
  "folder",
  "status_id",
  "status_alias",
  "elapsed",
  "file",
  "line",
  "assertions",
  "created_at",
  "failure_group_id",
  "message",
] as const;

/**
 * Stores the tests of one append inside the caller's transaction and keeps
 * every aggregate current in that same transaction: records failure groups,
 * resolves each test's identity (source + key → automation case, created on
 * first sight), inserts the test rows (large fields and artifacts in a table
 * of their own), and writes each touched case's aggregates once. SQLite takes
 * prepared statements on the raw connection (the Kysely transaction holds
 * that same connection); PostgreSQL takes multi-row statements.
 */
export async function insertTests(
  storage: Storage,
  trx: Transaction<Database>,
  target: TestTarget,
  tests: readonly IncomingTest[],
): Promise<void> {
  if (tests.length === 0) return;
  if (storage.sqlite) {
    const groups = await recordFailureGroups(storage, trx, target, tests);
    insertTestsSqlite(storage.sqlite, target, tests, groups);
    await groups.recordMembers();
    return;
  }
  await retryingConflicts(trx, async () => {
    const groups = await recordFailureGroups(storage, trx, target, tests);
    await insertTestsPostgres(storage, trx, target, tests, groups);
  });
}

/** Deadlock detected, serialization failure: PostgreSQL aborted this side, the other goes on. */
const RETRIED_CODES = new Set(["40P01", "40001"]);
const ATTEMPTS = 5;

/**
 * Appends take their locks in one order (failure groups, then cases, by key), and so does retention; a
 * flakiness recomputation or a future writer may not. Should PostgreSQL still abort the append to break a
 * deadlock, its writes since a savepoint are rolled back (releasing their locks, so the other side finishes)
 * and done again, instead of failing the upload.
 */
async function retryingConflicts(trx: Transaction<Database>, work: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await sql`SAVEPOINT append_rows`.execute(trx);
    try {
      await work();
      await sql`RELEASE SAVEPOINT append_rows`.execute(trx);
      return;
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if (!code || !RETRIED_CODES.has(code) || attempt >= ATTEMPTS) throw error;
      await sql`ROLLBACK TO SAVEPOINT append_rows`.execute(trx);
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

function details(test: CreateAutomationTest): { fields: string | null; artifacts: string | null } | null {
  const fields = test.fields?.length ? JSON.stringify(test.fields) : null;
  const artifacts = test.artifacts?.length ? JSON.stringify(test.artifacts) : null;
  return fields || artifacts ? { fields, artifacts } : null;
}

function testValues(target: TestTarget, caseId: number, groupId: number | null, incoming: IncomingTest) {
  const { test, statusId, failure } = incoming;
  return [
    target.runId,
    target.threadId,
    caseId,
    test.name,
    test.folder,
    statusId,
    test.status,
    test.elapsed ?? null,
    test.file ?? null,
    test.line ?? null,
    test.assertions ?? null,
    target.now,
    groupId,
    failure?.message ?? null,
  ];
}

function applyTest(state: CaseAggregates, target: TestTarget, groupId: number | null, incoming: IncomingTest) {
  applyResult(state, {
    runId: target.runId,
    outcome: incoming.outcome,
    elapsed: incoming.test.elapsed ?? null,
    commitKey: target.commitKey,
    failureGroupId: groupId,
    at: target.now,
  });
}

// ------------------------------------------------------------------ SQLite

function prepareSqlite(sqlite: SqliteConnection) {
  const caseColumns = ["project_id", "source_id", "key", "name", "folder", "created_at", ...STORED_COLUMNS];
  return {
    findCase: sqlite.prepare(
      `SELECT id, ${AGGREGATE_COLUMNS.join(", ")} FROM automation_cases WHERE source_id = ? AND key = ?`,
    ),
    insertCase: sqlite.prepare(
      `INSERT INTO automation_cases (${caseColumns.join(", ")}) VALUES (${caseColumns.map(() => "?").join(", ")})`,
    ),
    insertTest: sqlite.prepare(
      `INSERT INTO automation_run_tests (${TEST_COLUMNS.join(", ")}) VALUES (${TEST_COLUMNS.map(() => "?").join(", ")})`,
    ),
    insertDetail: sqlite.prepare(
      "INSERT INTO automation_run_test_details (test_id, fields, artifacts) VALUES (?, ?, ?)",
    ),
  };
}

interface SqliteCase extends CaseState {
  /** first test of this identity in the append, for a new case's name and folder */
  first: CreateAutomationTest;
  isNew: boolean;
}

/**
 * Three passes, so a new test identity costs one INSERT with its aggregates
 * already final (as cheap as storing it bare) and a known one one UPDATE:
 * work out every case's aggregates, insert the new cases, then the tests.
 */
function insertTestsSqlite(
  sqlite: SqliteConnection,
  target: TestTarget,
  tests: readonly IncomingTest[],
  groups: FailureGroupRecorder,
): void {
  const statements = statementsFor(sqlite, prepareSqlite);
  const cases = new Map<string, SqliteCase>();
  const caseOf: SqliteCase[] = [];
  for (const incoming of tests) {
    const { test } = incoming;
    let entry = cases.get(test.key);
    if (!entry) {
      const row = statements.findCase.get(target.sourceId, test.key) as (StoredAggregates & { id: number }) | undefined;
      entry = row
        ? { id: row.id, state: fromColumns(row), first: test, isNew: false }
        : { id: 0, state: emptyAggregates(), first: test, isNew: true };
      cases.set(test.key, entry);
    }
    caseOf.push(entry);
    applyTest(entry.state, target, groups.groupOf(incoming), incoming);
  }
  const known: CaseState[] = [];
  for (const entry of cases.values()) {
    if (!entry.isNew) {
      known.push(entry);
      continue;
    }
    const { first } = entry;
    const identity = [target.projectId, target.sourceId, first.key, first.name, first.folder, target.now];
    entry.id = Number(
      statements.insertCase.run(...identity, ...storedValues(entry.state, target.settings)).lastInsertRowid,
    );
  }
  tests.forEach((incoming, i) => {
    const caseId = caseOf[i]!.id;
    const groupId = groups.groupOf(incoming);
    if (groupId !== null) groups.addMember(groupId, caseId);
    const testId = statements.insertTest.run(...testValues(target, caseId, groupId, incoming)).lastInsertRowid;
    const extra = details(incoming.test);
    if (extra) statements.insertDetail.run(testId, extra.fields, extra.artifacts);
  });
  writeCaseAggregatesSqlite(sqlite, known, target.settings);
}

// ------------------------------------------------------------------ PostgreSQL

/**
 * One statement per table whatever the size of the append, each row a position in one array parameter per
 * column (unnest): nothing to compile per row, no 65,535-parameter limit to chunk around, and PostgreSQL
 * parses one short statement. WITH ORDINALITY keeps the rows in array order, so RETURNING ids line up.
 */
const INSERT_TESTS = `INSERT INTO automation_run_tests (${TEST_COLUMNS.join(", ")})
  SELECT $1::integer, $2::integer, case_id, name, folder, status_id, status_alias, elapsed, file, line, assertions, $3::text,
    failure_group_id, message
  FROM unnest($4::integer[], $5::text[], $6::text[], $7::integer[], $8::text[], $9::bigint[], $10::text[], $11::integer[],
              $12::integer[], $13::integer[], $14::text[])
    WITH ORDINALITY AS t(case_id, name, folder, status_id, status_alias, elapsed, file, line, assertions, failure_group_id, message, n)
  ORDER BY n
  RETURNING id`;
const INSERT_DETAILS = `INSERT INTO automation_run_test_details (test_id, fields, artifacts)
  SELECT * FROM unnest($1::integer[], $2::text[], $3::text[])`;
/**
 * New cases with their aggregates already final (as cheap as storing them bare; no second row version), in key
 * order (the arrays come sorted): concurrent creators of the same keys wait for each other in one order.
 */
const CREATE_CASES = (() => {
  const types = STORED_COLUMNS.map((c, i) => `$${i + 7}::${COLUMN_TYPES[c]}[]`).join(", ");
  const names = STORED_COLUMNS.join(", ");
  return `INSERT INTO automation_cases (project_id, source_id, created_at, key, name, folder, ${names})
  SELECT $1::integer, $2::integer, $3::text, key, name, folder, ${names}
  FROM unnest($4::text[], $5::text[], $6::text[], ${types}) WITH ORDINALITY AS t(key, name, folder, ${names}, n)
  ORDER BY n
  ON CONFLICT (source_id, key) DO NOTHING
  RETURNING id, key`;
})();
const CASE_IDS = "SELECT id, key FROM automation_cases WHERE source_id = $1 AND key = ANY($2::text[])";
const LOCK_CASES = `SELECT id, key, ${AGGREGATE_COLUMNS.join(", ")} FROM automation_cases
  WHERE source_id = $1 AND key = ANY($2::text[])
  ORDER BY key COLLATE "C"
  FOR UPDATE`;

/**
 * Row locks are taken only once the test rows are in, so each is held for the last moment before commit: the
 * cases (key order), then the failure groups (signature order), whose rows every parallel append of a failing
 * build shares and so must come last. Appends thus lock in one order. Retention locks groups before cases:
 * should the two meet in a deadlock, PostgreSQL aborts one side and each retries (retryingConflicts here).
 */
async function insertTestsPostgres(
  storage: Storage,
  trx: Transaction<Database>,
  target: TestTarget,
  tests: readonly IncomingTest[],
  groups: FailureGroupRecorder,
): Promise<void> {
  const { ids, knownKeys } = await createCasesPostgres(trx, target, tests, groups);
  const columns: unknown[][] = Array.from({ length: 11 }, () => new Array(tests.length));
  tests.forEach((incoming, row) => {
    const caseId = ids.get(incoming.test.key)!;
    const groupId = groups.groupOf(incoming);
    if (groupId !== null) groups.addMember(groupId, caseId);
    // testValues without run, thread and time (parameters of their own): case_id … assertions, group, message.
    const values = testValues(target, caseId, groupId, incoming);
    for (let i = 0; i < 9; i++) columns[i]![row] = values[i + 2];
    columns[9]![row] = values[12];
    columns[10]![row] = values[13];
  });
  const inserted = await trx.executeQuery<{ id: number }>(
    CompiledQuery.raw(INSERT_TESTS, [target.runId, target.threadId, target.now, ...columns]),
  );
  const detailColumns: [number[], (string | null)[], (string | null)[]] = [[], [], []];
  tests.forEach((incoming, i) => {
    const extra = details(incoming.test);
    if (!extra) return;
    detailColumns[0].push(inserted.rows[i]!.id);
    detailColumns[1].push(extra.fields);
    detailColumns[2].push(extra.artifacts);
  });
  if (detailColumns[0].length > 0) await trx.executeQuery(CompiledQuery.raw(INSERT_DETAILS, detailColumns));
  if (knownKeys.length > 0) {
    const known = new Set(knownKeys);
    const cases = await lockCasesPostgres(trx, target, knownKeys);
    for (const incoming of tests) {
      if (!known.has(incoming.test.key)) continue;
      applyTest(cases.get(incoming.test.key)!.state, target, groups.groupOf(incoming), incoming);
    }
    await writeCaseAggregates(storage, trx, [...cases.values()], target.settings);
  }
  await groups.recordMembers();
}

/**
 * Finds the append's cases and creates the ones seen for the first time, with
 * their aggregates from this append alone, in key order: ON CONFLICT DO
 * NOTHING waits for a concurrent creator of the same key, so two appends that
 * share new keys wait for each other in one order and cannot deadlock. Writes
 * no row that exists. Returns every key's case id and the keys (sorted) whose
 * case existed before, which the caller locks and updates.
 */
async function createCasesPostgres(
  trx: Transaction<Database>,
  target: TestTarget,
  tests: readonly IncomingTest[],
  groups: FailureGroupRecorder,
): Promise<{ ids: Map<string, number>; knownKeys: string[] }> {
  const byKey = new Map<string, IncomingTest[]>();
  for (const incoming of tests) {
    const list = byKey.get(incoming.test.key);
    if (list) list.push(incoming);
    else byKey.set(incoming.test.key, [incoming]);
  }
  // Byte order, as LOCK_CASES sorts (COLLATE "C"): the lock order must be the same in every transaction.
  const keys = [...byKey.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ids = await caseIdsPostgres(trx, target, keys);
  const fresh = keys.filter((key) => !ids.has(key));
  if (fresh.length > 0) {
    const columns: unknown[][] = Array.from({ length: STORED_COLUMNS.length + 3 }, () => new Array(fresh.length));
    fresh.forEach((key, row) => {
      const results = byKey.get(key)!;
      const state = emptyAggregates();
      for (const incoming of results) applyTest(state, target, groups.groupOf(incoming), incoming);
      const first = results[0]!.test;
      columns[0]![row] = key;
      columns[1]![row] = first.name;
      columns[2]![row] = first.folder;
      storedValues(state, target.settings).forEach((value, i) => {
        columns[i + 3]![row] = value;
      });
    });
    const created = await trx.executeQuery<{ id: number; key: string }>(
      CompiledQuery.raw(CREATE_CASES, [target.projectId, target.sourceId, target.now, ...columns]),
    );
    for (const row of created.rows) ids.set(row.key, row.id);
    // A key missing now was created by a concurrent append since the read above: it is known, after all.
    const raced = fresh.filter((key) => !ids.has(key));
    if (raced.length > 0) for (const [key, id] of await caseIdsPostgres(trx, target, raced)) ids.set(key, id);
    const createdKeys = new Set(created.rows.map((r) => r.key));
    return { ids, knownKeys: keys.filter((key) => !createdKeys.has(key)) };
  }
  return { ids, knownKeys: keys };
}

async function caseIdsPostgres(
  trx: Transaction<Database>,
  target: TestTarget,
  keys: readonly string[],
): Promise<Map<string, number>> {
  const rows = await trx.executeQuery<{ id: number; key: string }>(
    CompiledQuery.raw(CASE_IDS, [target.sourceId, keys]),
  );
  return new Map(rows.rows.map((r) => [r.key, r.id]));
}

/**
 * Locks every case of the append, in key order, and reads its current
 * aggregates: the lock keeps the read-modify-write of the aggregates exact
 * when parallel threads report the same test.
 */
async function lockCasesPostgres(
  trx: Transaction<Database>,
  target: TestTarget,
  keys: readonly string[],
): Promise<Map<string, CaseState>> {
  const rows = await trx.executeQuery<StoredAggregates & { id: number; key: string }>(
    CompiledQuery.raw(LOCK_CASES, [target.sourceId, keys]),
  );
  const cases = new Map<string, CaseState>();
  for (const row of rows.rows) cases.set(row.key, { id: row.id, state: fromColumns(row) });
  return cases;
}
