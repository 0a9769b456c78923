import type { CreateAutomationTest, InsightSettings } from "@assay/api";
import { sql, type Transaction } from "kysely";
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
import {
  type CaseState,
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
  const groups = await recordFailureGroups(storage, trx, target, tests);
  if (storage.sqlite) insertTestsSqlite(storage.sqlite, target, tests, groups);
  else await insertTestsPostgres(storage, trx, target, tests, groups);
  await groups.recordMembers();
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

type SqliteConnection = NonNullable<Storage["sqlite"]>;

const statementCache = new WeakMap<SqliteConnection, ReturnType<typeof prepareSqlite>>();

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
  let statements = statementCache.get(sqlite);
  if (!statements) {
    statements = prepareSqlite(sqlite);
    statementCache.set(sqlite, statements);
  }
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

/** PostgreSQL allows 65,535 bind parameters per statement. */
const ROWS_PER_STATEMENT = 2000;
const CASE_ROWS_PER_STATEMENT = 1000;

async function insertTestsPostgres(
  storage: Storage,
  trx: Transaction<Database>,
  target: TestTarget,
  tests: readonly IncomingTest[],
  groups: FailureGroupRecorder,
): Promise<void> {
  const cases = await lockCasesPostgres(trx, target, tests);
  for (let start = 0; start < tests.length; start += ROWS_PER_STATEMENT) {
    const slice = tests.slice(start, start + ROWS_PER_STATEMENT);
    const rows = slice.map((incoming) => {
      const entry = cases.get(incoming.test.key)!;
      const groupId = groups.groupOf(incoming);
      if (groupId !== null) groups.addMember(groupId, entry.id);
      applyTest(entry.state, target, groupId, incoming);
      const values = testValues(target, entry.id, groupId, incoming);
      return Object.fromEntries(TEST_COLUMNS.map((column, j) => [column, values[j]]));
    });
    const inserted = await trx
      .insertInto("automation_run_tests")
      .values(rows as never)
      .returning("id")
      .execute();
    const detailRows = slice.flatMap((incoming, i) => {
      const extra = details(incoming.test);
      return extra ? [{ test_id: inserted[i]!.id, ...extra }] : [];
    });
    if (detailRows.length > 0) await trx.insertInto("automation_run_test_details").values(detailRows).execute();
  }
  await writeCaseAggregates(storage, trx, [...cases.values()], target.settings);
}

/**
 * Creates the cases seen for the first time, then locks every case of the
 * append and reads its current aggregates. Two phases over ALL keys, each in
 * key order: creating first (ON CONFLICT DO NOTHING waits for a concurrent
 * creator of the same key, so a key is settled before it is locked), locking
 * second. Two appends that share keys thus take their locks in one order and
 * cannot deadlock, and the lock keeps the read-modify-write of the aggregates
 * exact when parallel threads report the same test. Neither phase writes a
 * row that exists: the aggregates UPDATE is its only new version.
 */
async function lockCasesPostgres(
  trx: Transaction<Database>,
  target: TestTarget,
  tests: readonly IncomingTest[],
): Promise<Map<string, CaseState>> {
  const firstByKey = new Map<string, CreateAutomationTest>();
  for (const { test } of tests) if (!firstByKey.has(test.key)) firstByKey.set(test.key, test);
  const unique = [...firstByKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const chunks: CreateAutomationTest[][] = [];
  for (let start = 0; start < unique.length; start += CASE_ROWS_PER_STATEMENT) {
    chunks.push(unique.slice(start, start + CASE_ROWS_PER_STATEMENT));
  }
  for (const chunk of chunks) {
    await trx
      .insertInto("automation_cases")
      .values(
        chunk.map((t) => ({
          project_id: target.projectId,
          source_id: target.sourceId,
          key: t.key,
          name: t.name,
          folder: t.folder,
          created_at: target.now,
        })),
      )
      .onConflict((oc) => oc.columns(["source_id", "key"]).doNothing())
      .execute();
  }
  const cases = new Map<string, CaseState>();
  for (const chunk of chunks) {
    const rows = await trx
      .selectFrom("automation_cases")
      .select(["id", "key", ...AGGREGATE_COLUMNS])
      .where("source_id", "=", target.sourceId)
      .where(
        "key",
        "in",
        chunk.map((t) => t.key),
      )
      // Byte order, as the sort above: the lock order must be the same in every transaction.
      .orderBy(sql`key collate "C"`)
      .forUpdate()
      .execute();
    for (const row of rows) cases.set(row.key, { id: row.id, state: fromColumns(row as StoredAggregates) });
  }
  return cases;
}
