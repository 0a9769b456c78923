import type { CreateAutomationTest } from "@assay/api";
import type { Transaction } from "kysely";
import type { Storage } from "../db.js";
import type { Database } from "../schema.js";

/** A validated test, its status alias already resolved to a status id. */
export interface IncomingTest {
  test: CreateAutomationTest;
  statusId: number;
}

export interface TestTarget {
  projectId: number;
  sourceId: number;
  runId: number;
  threadId: number;
  now: string;
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
] as const;

/**
 * Stores the tests of one append inside the caller's transaction: resolves
 * each test's identity (source + key → automation case, created on first
 * sight), inserts the test rows, and keeps fields and artifacts in a table of
 * their own. SQLite takes a prepared-statement loop on the raw connection
 * (the Kysely transaction holds that same connection); PostgreSQL takes
 * multi-row statements.
 */
export async function insertTests(
  storage: Storage,
  trx: Transaction<Database>,
  target: TestTarget,
  tests: readonly IncomingTest[],
): Promise<void> {
  if (tests.length === 0) return;
  if (storage.sqlite) insertTestsSqlite(storage.sqlite, target, tests);
  else await insertTestsPostgres(trx, target, tests);
}

function details(test: CreateAutomationTest): { fields: string | null; artifacts: string | null } | null {
  const fields = test.fields?.length ? JSON.stringify(test.fields) : null;
  const artifacts = test.artifacts?.length ? JSON.stringify(test.artifacts) : null;
  return fields || artifacts ? { fields, artifacts } : null;
}

function testValues(target: TestTarget, caseId: number, { test, statusId }: IncomingTest) {
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
  ];
}

type SqliteConnection = NonNullable<Storage["sqlite"]>;

const statementCache = new WeakMap<SqliteConnection, ReturnType<typeof prepareSqlite>>();

function prepareSqlite(sqlite: SqliteConnection) {
  const placeholders = TEST_COLUMNS.map(() => "?").join(", ");
  return {
    findCase: sqlite.prepare("SELECT id FROM automation_cases WHERE source_id = ? AND key = ?").pluck(),
    insertCase: sqlite.prepare(
      "INSERT INTO automation_cases (project_id, source_id, key, name, folder, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    insertTest: sqlite.prepare(
      `INSERT INTO automation_run_tests (${TEST_COLUMNS.join(", ")}) VALUES (${placeholders})`,
    ),
    insertDetail: sqlite.prepare(
      "INSERT INTO automation_run_test_details (test_id, fields, artifacts) VALUES (?, ?, ?)",
    ),
  };
}

function insertTestsSqlite(sqlite: SqliteConnection, target: TestTarget, tests: readonly IncomingTest[]): void {
  let statements = statementCache.get(sqlite);
  if (!statements) {
    statements = prepareSqlite(sqlite);
    statementCache.set(sqlite, statements);
  }
  const caseIds = new Map<string, number>();
  for (const incoming of tests) {
    const { test } = incoming;
    let caseId = caseIds.get(test.key) ?? (statements.findCase.get(target.sourceId, test.key) as number | undefined);
    if (caseId === undefined) {
      const values = [target.projectId, target.sourceId, test.key, test.name, test.folder, target.now];
      caseId = Number(statements.insertCase.run(...values).lastInsertRowid);
    }
    caseIds.set(test.key, caseId);
    const testId = statements.insertTest.run(...testValues(target, caseId, incoming)).lastInsertRowid;
    const extra = details(test);
    if (extra) statements.insertDetail.run(testId, extra.fields, extra.artifacts);
  }
}

/** PostgreSQL allows 65,535 bind parameters per statement. */
const ROWS_PER_STATEMENT = 2000;

async function insertTestsPostgres(
  trx: Transaction<Database>,
  target: TestTarget,
  tests: readonly IncomingTest[],
): Promise<void> {
  const caseIds = await resolveCasesPostgres(trx, target, tests);
  for (let start = 0; start < tests.length; start += ROWS_PER_STATEMENT) {
    const slice = tests.slice(start, start + ROWS_PER_STATEMENT);
    const rows = slice.map((incoming) => {
      const values = testValues(target, caseIds.get(incoming.test.key)!, incoming);
      return Object.fromEntries(TEST_COLUMNS.map((column, i) => [column, values[i]]));
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
}

async function resolveCasesPostgres(
  trx: Transaction<Database>,
  target: TestTarget,
  tests: readonly IncomingTest[],
): Promise<Map<string, number>> {
  const firstByKey = new Map<string, CreateAutomationTest>();
  for (const { test } of tests) if (!firstByKey.has(test.key)) firstByKey.set(test.key, test);
  const unique = [...firstByKey.values()];
  const caseIds = new Map<string, number>();
  for (let start = 0; start < unique.length; start += ROWS_PER_STATEMENT) {
    const slice = unique.slice(start, start + ROWS_PER_STATEMENT);
    await trx
      .insertInto("automation_cases")
      .values(
        slice.map((t) => ({
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
    const rows = await trx
      .selectFrom("automation_cases")
      .select(["id", "key"])
      .where("source_id", "=", target.sourceId)
      .where(
        "key",
        "in",
        slice.map((t) => t.key),
      )
      .execute();
    for (const row of rows) caseIds.set(row.key, row.id);
  }
  return caseIds;
}
