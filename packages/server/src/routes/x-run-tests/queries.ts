import type { Storage } from "../../storage/db.js";
import { type SqliteConnection, statementsFor } from "../../storage/sqlite-statements.js";
import { TEST_COLUMNS } from "../automation-run-tests/queries.js";

/**
 * Reads of the web UI's run page (`/x/automation/runs/{id}/tests/compact`, `/x/automation/run-tests/{id}`).
 *
 * The compact list is one query over the (run_id, id) index, in id order, turned column by column into arrays
 * while the rows arrive (on SQLite straight from the statement as arrays, without row objects). Folders are
 * interned on the way.
 */
export interface CompactColumns {
  ids: number[];
  case_ids: number[];
  names: string[];
  folders: string[];
  folder_index: number[];
  status_ids: number[];
  elapsed: (number | null)[];
  failure_group_ids: (number | null)[];
  messages: (string | null)[];
}

const COMPACT_SQLITE =
  "SELECT id, case_id, name, folder, status_id, elapsed, failure_group_id, message FROM automation_run_tests WHERE run_id = ? ORDER BY id";

const prepareCompact = (sqlite: SqliteConnection) => sqlite.prepare(COMPACT_SQLITE).raw(true);

type CompactRow = [number, number, string, string, number, number | string | null, number | null, string | null];

function collector() {
  const columns: CompactColumns = {
    ids: [],
    case_ids: [],
    names: [],
    folders: [],
    folder_index: [],
    status_ids: [],
    elapsed: [],
    failure_group_ids: [],
    messages: [],
  };
  const folderIds = new Map<string, number>();
  return {
    columns,
    add(row: CompactRow) {
      const [id, caseId, name, folder, statusId, elapsed, groupId, message] = row;
      let folderId = folderIds.get(folder);
      if (folderId === undefined) {
        folderId = columns.folders.length;
        folderIds.set(folder, folderId);
        columns.folders.push(folder);
      }
      columns.ids.push(id);
      columns.case_ids.push(caseId);
      columns.names.push(name);
      columns.folder_index.push(folderId);
      columns.status_ids.push(statusId);
      // bigint columns arrive from PostgreSQL as strings
      columns.elapsed.push(elapsed === null ? null : Number(elapsed));
      columns.failure_group_ids.push(groupId);
      columns.messages.push(message);
    },
  };
}

export async function compactRunTests(storage: Storage, runId: number): Promise<CompactColumns> {
  const out = collector();
  if (storage.sqlite) {
    for (const row of statementsFor(storage.sqlite, prepareCompact).iterate(runId)) out.add(row as CompactRow);
    return out.columns;
  }
  const rows = await storage.db
    .selectFrom("automation_run_tests")
    .select(["id", "case_id", "name", "folder", "status_id", "elapsed", "failure_group_id", "message"])
    .where("run_id", "=", runId)
    .orderBy("id")
    .execute();
  for (const r of rows)
    out.add([r.id, r.case_id, r.name, r.folder, r.status_id, r.elapsed, r.failure_group_id, r.message]);
  return out.columns;
}

/** One test (result) with its case's key and its stored fields and artifacts (JSON text), or undefined. */
export async function findRunTestWithDetails(storage: Storage, testId: number) {
  return storage.db
    .selectFrom("automation_run_tests as t")
    .innerJoin("automation_cases as c", "c.id", "t.case_id")
    .leftJoin("automation_run_test_details as d", "d.test_id", "t.id")
    .select([...TEST_COLUMNS, "d.fields", "d.artifacts"])
    .where("t.id", "=", testId)
    .executeTakeFirst();
}

export type RunTestDetailRow = NonNullable<Awaited<ReturnType<typeof findRunTestWithDetails>>>;
