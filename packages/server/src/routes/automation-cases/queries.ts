import { type Kysely, sql } from "kysely";
import type { DialectName } from "../../storage/db.js";
import { containsText } from "../../storage/like.js";
import type { Database } from "../../storage/schema.js";

type Db = Kysely<Database>;

export type AutomationCaseSortColumn = "source" | "name" | "elapsed_average" | "failure_count" | "flaky_percent";

export interface AutomationCaseFilter {
  projectId: number;
  sourceIds?: number[];
  statuses?: number[];
  name?: string;
  folder?: string;
}

export interface AutomationCaseWindow {
  offset: number;
  limit: number;
  sort: AutomationCaseSortColumn;
  order: "asc" | "desc";
}

const CASE_COLUMNS = [
  "id",
  "project_id",
  "source_id",
  "key",
  "name",
  "folder",
  "status",
  "elapsed_average",
  "failure_count",
  "flaky_percent",
  "result_count",
  "last_run_id",
  "last_result_at",
  "created_at",
] as const;

/**
 * One page of a project's automation cases. Every sort is read in the order
 * of a (project_id, column, id) index (migrations 006 and 008); the source
 * sort is (project_id, source_id, id): sources are created in id order.
 */
export async function listAutomationCases(
  db: Db,
  dialect: DialectName,
  filter: AutomationCaseFilter,
  window: AutomationCaseWindow,
) {
  let query = db.selectFrom("automation_cases").where("project_id", "=", filter.projectId);
  if (filter.sourceIds) query = query.where("source_id", "in", filter.sourceIds);
  if (filter.statuses) query = query.where("status", "in", filter.statuses);
  if (filter.name) query = query.where(containsText("name", filter.name));
  if (filter.folder !== undefined) query = query.where("folder", "=", filter.folder);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const { sort, order } = window;
  let ordered = query.select(CASE_COLUMNS);
  if (sort === "source") ordered = ordered.orderBy("source_id", order);
  else if (sort === "name") {
    ordered = ordered.orderBy(dialect === "postgres" ? sql`${sql.ref("name")} collate "C"` : sql.ref("name"), order);
  } else ordered = ordered.orderBy(sort, order);
  const rows = await ordered.orderBy("id", order).offset(window.offset).limit(window.limit).execute();
  return { total: Number(total), rows };
}

export type AutomationCaseRow = Awaited<ReturnType<typeof listAutomationCases>>["rows"][number];

/** The repository cases linked to each automation case, in id order. */
export async function linkedCases(db: Db, automationCaseIds: readonly number[]): Promise<Map<number, number[]>> {
  const result = new Map<number, number[]>();
  if (automationCaseIds.length === 0) return result;
  const rows = await db
    .selectFrom("repository_case_automation_links")
    .select(["automation_case_id", "case_id"])
    .where("automation_case_id", "in", [...new Set(automationCaseIds)])
    .orderBy("automation_case_id")
    .orderBy("case_id")
    .execute();
  for (const row of rows) {
    const list = result.get(row.automation_case_id) ?? [];
    list.push(row.case_id);
    result.set(row.automation_case_id, list);
  }
  return result;
}

/** `{id, name}` of repository cases of the project, for the `repository_cases` expand. */
export async function repositoryCaseNames(db: Db, projectId: number, ids: readonly number[]) {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db
    .selectFrom("repository_cases")
    .select(["id", "name"])
    .where("project_id", "=", projectId)
    .where("id", "in", unique)
    .orderBy("id")
    .execute();
}
