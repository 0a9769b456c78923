import { type CaseAutomationTest, type CaseListItem, type CaseTag, STEPS_FIELD } from "@assay/api";
import { type Kysely, sql } from "kysely";
import { containsText, escapeLike } from "../../storage/like.js";
import type { Database } from "../../storage/schema.js";

type Db = Kysely<Database>;

/** Tags of the cases, by case id, sorted by name. */
export async function tagsOfCases(db: Db, caseIds: readonly number[]): Promise<Map<number, CaseTag[]>> {
  const byCase = new Map<number, CaseTag[]>();
  if (caseIds.length === 0) return byCase;
  const rows = await db
    .selectFrom("repository_case_tags as ct")
    .innerJoin("repository_tags as t", "t.id", "ct.tag_id")
    .select(["ct.case_id", "t.id", "t.name"])
    .where("ct.case_id", "in", [...caseIds])
    .orderBy("t.name")
    .execute();
  for (const row of rows) {
    const list = byCase.get(row.case_id) ?? [];
    list.push({ id: row.id, name: row.name });
    byCase.set(row.case_id, list);
  }
  return byCase;
}

/** The automated tests linked to a case, with their latest status (kept current by every append). */
export async function automationOfCase(db: Db, caseId: number): Promise<CaseAutomationTest[]> {
  const rows = await db
    .selectFrom("repository_case_automation_links as l")
    .innerJoin("automation_cases as a", "a.id", "l.automation_case_id")
    .innerJoin("automation_sources as s", "s.id", "a.source_id")
    .select([
      "a.id",
      "a.source_id",
      "s.name as source_name",
      "a.key",
      "a.name",
      "a.folder",
      "a.status",
      "a.last_result_at",
      "a.last_run_id",
    ])
    .where("l.case_id", "=", caseId)
    .orderBy("a.folder")
    .orderBy("a.name")
    .execute();
  return rows.map((r) => ({
    automation_case_id: r.id,
    source_id: r.source_id,
    source_name: r.source_name,
    key: r.key,
    name: r.name,
    folder: r.folder,
    status: r.status,
    last_result_at: r.last_result_at,
    last_run_id: r.last_run_id,
  }));
}

export interface CaseSearch {
  projectId: number;
  /** words of the name, or the case key (`C12` or `12`) */
  search?: string;
  /** the folders to list; their sub-folders are added by the caller when asked */
  folderIds?: number[];
  tagIds?: number[];
  stateIds?: number[];
  templateIds?: number[];
  /** a custom field's value, matched exactly on its stored JSON text */
  custom?: { field: string; value: string };
}

export interface CasePage {
  offset: number;
  limit: number;
  sort: "key" | "name" | "updated_at";
  order: "asc" | "desc";
}

/**
 * The case list of the repository screen. The custom field filter matches `"custom_x":"value"` in the
 * stored JSON text (written by JSON.stringify, without spaces), so it matches string values exactly
 * and ignores case, on both databases.
 */
export async function searchCases(db: Db, filter: CaseSearch, page: CasePage) {
  let query = db.selectFrom("repository_cases as c").where("c.project_id", "=", filter.projectId);
  if (filter.folderIds) query = query.where("c.folder_id", "in", filter.folderIds);
  if (filter.stateIds) query = query.where("c.state_id", "in", filter.stateIds);
  if (filter.templateIds) query = query.where("c.template_id", "in", filter.templateIds);
  if (filter.tagIds) {
    const tagIds = filter.tagIds;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("repository_case_tags as ct")
          .select("ct.case_id")
          .whereRef("ct.case_id", "=", "c.id")
          .where("ct.tag_id", "in", tagIds),
      ),
    );
  }
  const search = filter.search?.trim();
  if (search) {
    const key = /^c?(\d{1,9})$/i.exec(search)?.[1];
    query = query.where((eb) =>
      key ? eb.or([eb("c.key", "=", Number(key)), containsText("c.name", search)]) : containsText("c.name", search),
    );
  }
  if (filter.custom) {
    const pattern = `%${escapeLike(`${JSON.stringify(filter.custom.field)}:${JSON.stringify(filter.custom.value)}`.toLowerCase())}%`;
    query = query.where(sql<boolean>`lower(${sql.ref("c.custom_fields")}) like ${pattern} escape '!'`);
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      "c.id",
      "c.key",
      "c.name",
      "c.folder_id",
      "c.template_id",
      "c.state_id",
      "c.updated_at",
      "c.created_at",
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom("repository_case_automation_links as l")
              .select("l.case_id")
              .whereRef("l.case_id", "=", "c.id"),
          )
          .as("linked"),
    ])
    .orderBy(`c.${page.sort}`, page.order)
    .orderBy("c.id", page.order)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const tags = await tagsOfCases(
    db,
    rows.map((r) => r.id),
  );
  const items: CaseListItem[] = rows.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    folder_id: r.folder_id,
    template_id: r.template_id,
    state_id: r.state_id,
    tags: tags.get(r.id) ?? [],
    has_automation: Boolean(r.linked),
    updated_at: r.updated_at,
    created_at: r.created_at,
  }));
  return { total: Number(total), items };
}

/** How many recent cases are read for the custom field names the filter offers. */
const CUSTOM_FIELD_SAMPLE = 2000;

/** `custom_*` names used on the project's most recent cases (the steps field excepted), sorted. */
export async function customFieldNames(db: Db, projectId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("repository_cases")
    .select("custom_fields")
    .where("project_id", "=", projectId)
    .where("custom_fields", "<>", "{}")
    .orderBy("id", "desc")
    .limit(CUSTOM_FIELD_SAMPLE)
    .execute();
  const names = new Set<string>();
  for (const row of rows) {
    for (const name of Object.keys(JSON.parse(row.custom_fields) as object)) if (name !== STEPS_FIELD) names.add(name);
  }
  return [...names].sort();
}

/** The ids of the folders and every folder below them. */
export async function withSubfolders(db: Db, projectId: number, rootIds: readonly number[]): Promise<number[]> {
  const all = await db
    .selectFrom("repository_folders")
    .select(["id", "parent_id"])
    .where("project_id", "=", projectId)
    .execute();
  const children = new Map<number, number[]>();
  for (const f of all) {
    if (f.parent_id === null) continue;
    children.set(f.parent_id, [...(children.get(f.parent_id) ?? []), f.id]);
  }
  const result = new Set<number>();
  const queue = [...rootIds];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (result.has(id)) continue;
    result.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return [...result];
}
