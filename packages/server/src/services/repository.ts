import crypto from "node:crypto";
import type {
  CreateRepositoryCaseCasesInner,
  CreateRepositoryFoldersFoldersInner,
  IssueInput,
  UpdateRepositoryCase,
  UpdateRepositoryFolders,
} from "@assay/api";
import { INTEGRATION_TYPES } from "@assay/api";
import type { ExpressionBuilder, Kysely, Selectable } from "kysely";
import { type FieldErrors, InvalidDataError, NotFoundError } from "../errors.js";
import { containsText } from "../storage/like.js";
import { takesRowLocks } from "../storage/row-locks.js";
import type {
  CaseAttachmentTable,
  Database,
  IssueTable,
  RepositoryCaseTable,
  RepositoryFolderTable,
} from "../storage/schema.js";
import type { Access } from "./access.js";

/**
 * Domain rules of the case repository, shared by the API routes and the demo
 * command. Decisions on the spec's Open points:
 * - one repository per project: `repo_id` is the project id;
 * - folders: top level has `parent_id` null and `depth` 0; a new folder goes
 *   last among its siblings unless `display_order` is given (Open point 19);
 * - deleting a folder deletes its sub-folders and every case in them, with
 *   their attachments: a hard delete (Open point 17);
 * - case PATCH: `tags`, `issues` and `automation_links` replace the case's
 *   lists when given; `custom_*` keys are merged key by key (Open point 16);
 *   `status_id` sets the case status and `status_at`, null clears both;
 * - unknown tags are created; omitted template/state take the default ones;
 *   omitted folder is the top level (Open point 15);
 * - `RepositoryCase.automation_links` holds automation case ids (Open point 18).
 */

type Db = Kysely<Database>;
export type FolderRow = Selectable<RepositoryFolderTable>;
export type CaseRow = Selectable<RepositoryCaseTable>;
export type AttachmentRow = Selectable<CaseAttachmentTable>;
export type IssueRow = Selectable<IssueTable>;

const CUSTOM_FIELD = /^custom_[A-Za-z0-9_]{1,64}$/;

function nowIso(): string {
  return new Date().toISOString();
}

function missingIds(wanted: readonly number[], found: Iterable<number>): number[] {
  const have = new Set(found);
  return [...new Set(wanted)].filter((id) => !have.has(id));
}

function throwIfErrors(errors: FieldErrors): void {
  const entries = Object.values(errors);
  if (entries.length > 0) throw new InvalidDataError(`The given data was invalid: ${entries[0]![0]}`, errors);
}

function addError(errors: FieldErrors, field: string, message: string): void {
  errors[field] ??= [];
  errors[field].push(message);
}

// ---------------------------------------------------------------- folders

export async function foldersOfProject(db: Db, projectId: number, ids: readonly number[]): Promise<FolderRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("repository_folders")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "in", [...new Set(ids)])
    .execute();
}

/** The folders with these ids in the project, or a 404 naming those that are not. */
async function requireFolders(db: Db, projectId: number, ids: readonly number[]): Promise<FolderRow[]> {
  const rows = await foldersOfProject(db, projectId, ids);
  const missing = missingIds(
    ids,
    rows.map((r) => r.id),
  );
  if (missing.length > 0) {
    throw new NotFoundError(
      `Folder${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in project ${projectId}. List the project's folders with GET /projects/${projectId}/folders.`,
    );
  }
  return rows;
}

async function nextDisplayOrder(db: Db, projectId: number, parentId: number | null): Promise<number> {
  let query = db
    .selectFrom("repository_folders")
    .select((eb) => eb.fn.max("display_order").as("max"))
    .where("project_id", "=", projectId);
  query = parentId === null ? query.where("parent_id", "is", null) : query.where("parent_id", "=", parentId);
  const row = await query.executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function createFolders(
  db: Db,
  userId: number,
  projectId: number,
  inputs: readonly CreateRepositoryFoldersFoldersInner[],
): Promise<FolderRow[]> {
  const parentIds = inputs.map((f) => f.parent_id).filter((id): id is number => typeof id === "number");
  const parents = new Map((await foldersOfProject(db, projectId, parentIds)).map((f) => [f.id, f]));
  const errors: FieldErrors = {};
  inputs.forEach((input, i) => {
    if (typeof input.parent_id === "number" && !parents.has(input.parent_id)) {
      addError(
        errors,
        `folders.${i}.parent_id`,
        `Parent folder ${input.parent_id} does not exist in project ${projectId}. Use the id of one of its folders, or omit parent_id for the top level.`,
      );
    }
  });
  throwIfErrors(errors);
  const created: FolderRow[] = [];
  const now = nowIso();
  for (const input of inputs) {
    const parentId = input.parent_id ?? null;
    const parent = parentId === null ? undefined : parents.get(parentId);
    const row = await db
      .insertInto("repository_folders")
      .values({
        project_id: projectId,
        parent_id: parentId,
        depth: parent ? parent.depth + 1 : 0,
        name: input.name,
        docs: input.docs ?? null,
        display_order: input.display_order ?? (await nextDisplayOrder(db, projectId, parentId)),
        created_at: now,
        created_by: userId,
        updated_at: null,
        updated_by: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    created.push(row);
  }
  return created;
}

/** Ids of the folders and all their descendants. */
async function subtreeIds(db: Db, projectId: number, rootIds: readonly number[]): Promise<number[]> {
  const all = await db
    .selectFrom("repository_folders")
    .select(["id", "parent_id"])
    .where("project_id", "=", projectId)
    .execute();
  const children = new Map<number, number[]>();
  for (const f of all) {
    if (f.parent_id === null) continue;
    const list = children.get(f.parent_id) ?? [];
    list.push(f.id);
    children.set(f.parent_id, list);
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

export interface UpdatedFolder {
  id: number;
  name?: string;
  parent_id?: number | null;
  docs?: string | null;
}

export async function updateFolders(
  db: Db,
  userId: number,
  projectId: number,
  input: UpdateRepositoryFolders,
): Promise<UpdatedFolder[]> {
  const ids = [...new Set(input.ids)];
  await requireFolders(db, projectId, ids);
  const changes: { name?: string; docs?: string | null } = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.docs !== undefined) changes.docs = input.docs;
  const now = nowIso();
  if (Object.keys(changes).length > 0) {
    await db
      .updateTable("repository_folders")
      .set({ ...changes, updated_at: now, updated_by: userId })
      .where("id", "in", ids)
      .execute();
  }
  if (input.parent_id !== undefined) await moveFolders(db, userId, projectId, ids, input.parent_id, now);
  return ids.map((id) => {
    const echo: UpdatedFolder = { id };
    if (input.name !== undefined) echo.name = input.name;
    if (input.parent_id !== undefined) echo.parent_id = input.parent_id;
    if (input.docs !== undefined) echo.docs = input.docs;
    return echo;
  });
}

async function moveFolders(
  db: Db,
  userId: number,
  projectId: number,
  ids: number[],
  parentId: number | null,
  now: string,
): Promise<void> {
  let depth = 0;
  if (parentId !== null) {
    const [parent] = await foldersOfProject(db, projectId, [parentId]);
    if (!parent) {
      throw new InvalidDataError(`Parent folder ${parentId} does not exist in project ${projectId}.`, {
        parent_id: [
          `Parent folder ${parentId} does not exist in project ${projectId}. Use one of its folder ids, or null for the top level.`,
        ],
      });
    }
    const moved = await subtreeIds(db, projectId, ids);
    if (moved.includes(parentId)) {
      throw new InvalidDataError(`A folder cannot be moved into itself or one of its sub-folders.`, {
        parent_id: [
          `Folder ${parentId} is one of the moved folders or inside one of them. Choose a parent outside the moved folders.`,
        ],
      });
    }
    depth = parent.depth + 1;
  }
  let order = await nextDisplayOrder(db, projectId, parentId);
  for (const id of ids) {
    await db
      .updateTable("repository_folders")
      .set({ parent_id: parentId, depth, display_order: order++, updated_at: now, updated_by: userId })
      .where("id", "=", id)
      .execute();
  }
  await recomputeDepths(db, projectId, ids, depth);
}

/** Sets the depth of every descendant of the given folders (which are at `depth`). */
async function recomputeDepths(db: Db, projectId: number, ids: number[], depth: number): Promise<void> {
  let level = ids;
  let current = depth;
  while (level.length > 0) {
    const children = await db
      .selectFrom("repository_folders")
      .select("id")
      .where("project_id", "=", projectId)
      .where("parent_id", "in", level)
      .execute();
    level = children.map((c) => c.id);
    current++;
    if (level.length > 0) {
      await db.updateTable("repository_folders").set({ depth: current }).where("id", "in", level).execute();
    }
  }
}

/**
 * Deletes the folders, their sub-folders and the cases in all of them.
 * Returns the storage keys of the deleted attachments: remove the files once
 * the transaction has committed.
 */
export async function deleteFolders(db: Db, projectId: number, ids: readonly number[]): Promise<string[]> {
  await requireFolders(db, projectId, ids);
  const all = await subtreeIds(db, projectId, ids);
  const cases = await db
    .selectFrom("repository_cases")
    .select("id")
    .where("project_id", "=", projectId)
    .where("folder_id", "in", all)
    .execute();
  const keys = await deleteCaseRows(
    db,
    cases.map((c) => c.id),
  );
  // Children first: the self-reference cascades, but deleting leaves first keeps both databases simple.
  const rows = await db.selectFrom("repository_folders").select(["id", "depth"]).where("id", "in", all).execute();
  rows.sort((a, b) => b.depth - a.depth);
  for (const row of rows) await db.deleteFrom("repository_folders").where("id", "=", row.id).execute();
  return keys;
}

export interface FolderFilter {
  projectId: number;
  parentId?: number;
  name?: string;
}

export async function listFolders(
  db: Db,
  filter: FolderFilter,
  page: { offset: number; limit: number; sort: "display_order" | "name"; order: "asc" | "desc" },
): Promise<{ total: number; rows: FolderRow[] }> {
  let query = db.selectFrom("repository_folders").where("project_id", "=", filter.projectId);
  if (filter.parentId !== undefined) {
    // parent_id=0 lists the top level.
    query =
      filter.parentId === 0 ? query.where("parent_id", "is", null) : query.where("parent_id", "=", filter.parentId);
  }
  if (filter.name !== undefined) {
    query = query.where(containsText("name", filter.name));
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy(page.sort, page.order)
    .orderBy("id", page.order)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}

// ---------------------------------------------------------------- issues and integrations

export interface IntegrationInput {
  type: number;
  name: string;
  is_active?: boolean;
  connections?: { name: string; projects: { name: string; key?: string }[] }[];
}

/**
 * Creates an issue tracker with its connections and external projects. Testmo
 * has no API for this; the demo command, tests and the admin tooling use it.
 */
export async function createIssueIntegration(db: Db, input: IntegrationInput) {
  const now = nowIso();
  const integration = await db
    .insertInto("issue_integrations")
    .values({
      type: input.type,
      name: input.name,
      is_active: input.is_active === false ? 0 : 1,
      created_at: now,
      updated_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const projects: { connectionId: number; projectId: number; name: string }[] = [];
  for (const connection of input.type === INTEGRATION_TYPES.custom ? [] : (input.connections ?? [])) {
    const c = await db
      .insertInto("issue_connections")
      .values({ integration_id: integration.id, name: connection.name, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const project of connection.projects) {
      const p = await db
        .insertInto("issue_connection_projects")
        .values({ connection_id: c.id, name: project.name, key: project.key ?? null, created_at: now })
        .returning("id")
        .executeTakeFirstOrThrow();
      projects.push({ connectionId: c.id, projectId: p.id, name: project.name });
    }
  }
  return { id: integration.id, projects };
}

/**
 * Issue ids for a list of ids or IssueInput objects: ids must exist,
 * IssueInputs are found by (integration, external project, display id) or
 * created. `field` prefixes the error keys, e.g. `cases.0.issues`.
 */
export async function resolveIssues(
  db: Db,
  userId: number,
  items: readonly (number | IssueInput)[],
  field: string,
  errors: FieldErrors,
): Promise<number[]> {
  const ids = items.filter((i): i is number => typeof i === "number");
  const known =
    ids.length > 0
      ? new Set(
          (await db.selectFrom("issues").select("id").where("id", "in", ids).execute()).map((r) => r.id as number),
        )
      : new Set<number>();
  const result: number[] = [];
  for (const [i, item] of items.entries()) {
    if (typeof item === "number") {
      if (known.has(item)) result.push(item);
      else
        addError(errors, `${field}.${i}`, `Issue ${item} does not exist. Use an existing issue id or an IssueInput.`);
      continue;
    }
    const id = await findOrCreateIssue(db, userId, item, `${field}.${i}`, errors);
    if (id !== null) result.push(id);
  }
  return [...new Set(result)];
}

async function findOrCreateIssue(
  db: Db,
  userId: number,
  input: IssueInput,
  field: string,
  errors: FieldErrors,
): Promise<number | null> {
  const integrationQuery = db
    .selectFrom("issue_integrations")
    .select(["id", "type"])
    .where("id", "=", input.integration_id);
  // KEY SHARE keeps the tracker from being deleted until this link commits. A delete that got there first makes
  // this read wait, then find no row: a 422 below instead of a foreign-key failure at the insert.
  const integration = await (takesRowLocks(db) ? integrationQuery.forKeyShare() : integrationQuery).executeTakeFirst();
  if (!integration) {
    addError(
      errors,
      `${field}.integration_id`,
      `Issue integration ${input.integration_id} does not exist. List them with GET /issues/connections.`,
    );
    return null;
  }
  const projectId = input.connection_project_id ?? null;
  if (projectId !== null) {
    const project = await db
      .selectFrom("issue_connection_projects as p")
      .innerJoin("issue_connections as c", "c.id", "p.connection_id")
      .select("p.id")
      .where("p.id", "=", projectId)
      .where("c.integration_id", "=", integration.id)
      .executeTakeFirst();
    if (!project) {
      addError(
        errors,
        `${field}.connection_project_id`,
        `External project ${projectId} is not connected to integration ${integration.id}. List them with GET /issues/connections.`,
      );
      return null;
    }
  } else if (integration.type === INTEGRATION_TYPES.github || integration.type === INTEGRATION_TYPES.gitlab) {
    addError(
      errors,
      `${field}.connection_project_id`,
      `Integration ${integration.id} is a GitHub or GitLab integration: connection_project_id (the repository) is required.`,
    );
    return null;
  }
  let query = db
    .selectFrom("issues")
    .select("id")
    .where("integration_id", "=", integration.id)
    .where("display_id", "=", input.display_id);
  query =
    projectId === null
      ? query.where("connection_project_id", "is", null)
      : query.where("connection_project_id", "=", projectId);
  const existing = await query.executeTakeFirst();
  if (existing) return existing.id;
  const created = await db
    .insertInto("issues")
    .values({
      integration_id: integration.id,
      connection_project_id: projectId,
      display_id: input.display_id,
      created_at: nowIso(),
      created_by: userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return created.id;
}

export interface ConnectionFilter {
  integrationIds?: number[];
  integrationName?: string;
  connectionIds?: number[];
  connectionName?: string;
  connectionProjectIds?: number[];
  connectionProjectName?: string;
  integrationTypes?: number[];
  isActive?: boolean;
}

/** One row per integration × external project; Custom integrations have one row without connection. */
export async function listConnections(
  db: Db,
  filter: ConnectionFilter,
  page: { offset: number; limit: number; sort: "created_at" | "name"; order: "asc" | "desc" },
) {
  let query = db
    .selectFrom("issue_integrations as i")
    .leftJoin("issue_connections as c", "c.integration_id", "i.id")
    .leftJoin("issue_connection_projects as p", "p.connection_id", "c.id");
  if (filter.integrationIds) query = query.where("i.id", "in", filter.integrationIds);
  if (filter.integrationName !== undefined) {
    query = query.where(containsText("i.name", filter.integrationName));
  }
  if (filter.connectionIds) query = query.where("c.id", "in", filter.connectionIds);
  if (filter.connectionName !== undefined) {
    query = query.where(containsText("c.name", filter.connectionName));
  }
  if (filter.connectionProjectIds) query = query.where("p.id", "in", filter.connectionProjectIds);
  if (filter.connectionProjectName !== undefined) {
    query = query.where(containsText("p.name", filter.connectionProjectName));
  }
  if (filter.integrationTypes) query = query.where("i.type", "in", filter.integrationTypes);
  if (filter.isActive !== undefined) query = query.where("i.is_active", "=", filter.isActive ? 1 : 0);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await query
    .select([
      "i.id as integration_id",
      "i.type as integration_type",
      "i.name as integration_name",
      "i.is_active",
      "i.created_at",
      "i.updated_at",
      "c.id as connection_id",
      "c.name as connection_name",
      "p.id as connection_project_id",
      "p.name as connection_project_name",
    ])
    .orderBy(`i.${page.sort}`, page.order)
    .orderBy("i.id", page.order)
    .orderBy("c.id", "asc")
    .orderBy("p.id", "asc")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}

// ---------------------------------------------------------------- cases

export async function requireCaseIn(db: Db, access: Access, caseId: number, permission: "view" | "repository") {
  const row = await db.selectFrom("repository_cases").selectAll().where("id", "=", caseId).executeTakeFirst();
  if (!row) throw new NotFoundError(`Case ${caseId} does not exist.`);
  await access.requireIn(
    row.project_id,
    permission,
    permission === "view" ? "view repository cases" : "change repository cases",
  );
  return row;
}

/** The `custom_*` keys of a body, as given. */
function customFields(input: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (CUSTOM_FIELD.test(key)) fields[key] = value;
  return fields;
}

interface Defaults {
  templateId: number;
  stateId: number;
}

async function defaults(db: Db): Promise<Defaults> {
  const template = await db
    .selectFrom("templates")
    .select("id")
    .orderBy("is_default", "desc")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const state = await db
    .selectFrom("states")
    .select("id")
    .orderBy("is_default", "desc")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  return { templateId: template.id, stateId: state.id };
}

async function existingIds(
  db: Db,
  table: "templates" | "states" | "statuses",
  ids: readonly (number | null | undefined)[],
): Promise<Set<number>> {
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === "number"))];
  if (wanted.length === 0) return new Set();
  const rows = await db.selectFrom(table).select("id").where("id", "in", wanted).execute();
  return new Set(rows.map((r) => r.id as number));
}

async function automationCasesIn(db: Db, projectId: number, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("automation_cases")
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Reference checks shared by create and update; field names are prefixed with `prefix`. */
async function checkReferences(
  db: Db,
  projectId: number,
  items: readonly {
    prefix: string;
    folder_id?: number | null;
    template_id?: number;
    state_id?: number;
    status_id?: number | null;
    automation_links?: number[];
  }[],
  errors: FieldErrors,
): Promise<void> {
  const folderIds = items.map((i) => i.folder_id).filter((id): id is number => typeof id === "number");
  const folders = new Set((await foldersOfProject(db, projectId, folderIds)).map((f) => f.id));
  const templates = await existingIds(
    db,
    "templates",
    items.map((i) => i.template_id),
  );
  const states = await existingIds(
    db,
    "states",
    items.map((i) => i.state_id),
  );
  const statuses = await existingIds(
    db,
    "statuses",
    items.map((i) => i.status_id),
  );
  const links = await automationCasesIn(
    db,
    projectId,
    items.flatMap((i) => i.automation_links ?? []),
  );
  for (const item of items) {
    const p = item.prefix;
    if (typeof item.folder_id === "number" && !folders.has(item.folder_id)) {
      addError(
        errors,
        `${p}folder_id`,
        `Folder ${item.folder_id} does not exist in project ${projectId}. Use one of its folder ids (GET /projects/${projectId}/folders).`,
      );
    }
    if (item.template_id !== undefined && !templates.has(item.template_id)) {
      addError(errors, `${p}template_id`, `Template ${item.template_id} does not exist. Use an existing template id.`);
    }
    if (item.state_id !== undefined && !states.has(item.state_id)) {
      addError(errors, `${p}state_id`, `Workflow state ${item.state_id} does not exist. Use an existing state id.`);
    }
    if (typeof item.status_id === "number" && !statuses.has(item.status_id)) {
      addError(errors, `${p}status_id`, `Status ${item.status_id} does not exist. Use an existing status id.`);
    }
    for (const [i, id] of (item.automation_links ?? []).entries()) {
      if (!links.has(id)) {
        addError(
          errors,
          `${p}automation_links.${i}`,
          `Automation case ${id} does not exist in project ${projectId}. Link automation cases of the same project.`,
        );
      }
    }
  }
}

async function allocateKeys(db: Db, projectId: number, count: number): Promise<number> {
  await db
    .insertInto("repository_keys")
    .values({ project_id: projectId, last_key: 0 })
    .onConflict((oc) => oc.column("project_id").doNothing())
    .execute();
  const row = await db
    .updateTable("repository_keys")
    .set((eb) => ({ last_key: eb("last_key", "+", count) }))
    .where("project_id", "=", projectId)
    .returning("last_key")
    .executeTakeFirstOrThrow();
  return row.last_key - count + 1;
}

async function tagIds(db: Db, projectId: number, names: readonly string[]): Promise<number[]> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return [];
  await db
    .insertInto("repository_tags")
    .values(unique.map((name) => ({ project_id: projectId, name })))
    .onConflict((oc) => oc.columns(["project_id", "name"]).doNothing())
    .execute();
  const rows = await db
    .selectFrom("repository_tags")
    .select(["id", "name"])
    .where("project_id", "=", projectId)
    .where("name", "in", unique)
    .execute();
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return unique.map((name) => byName.get(name)!);
}

async function replaceRelations(
  db: Db,
  caseIds: readonly number[],
  relations: { tags?: number[]; issues?: number[]; automationLinks?: number[] },
): Promise<void> {
  if (caseIds.length === 0) return;
  if (relations.tags) {
    await db.deleteFrom("repository_case_tags").where("case_id", "in", caseIds).execute();
    const values = caseIds.flatMap((case_id) => relations.tags!.map((tag_id) => ({ case_id, tag_id })));
    if (values.length > 0) await db.insertInto("repository_case_tags").values(values).execute();
  }
  if (relations.issues) {
    await db.deleteFrom("repository_case_issues").where("case_id", "in", caseIds).execute();
    const values = caseIds.flatMap((case_id) => relations.issues!.map((issue_id) => ({ case_id, issue_id })));
    if (values.length > 0) await db.insertInto("repository_case_issues").values(values).execute();
  }
  if (relations.automationLinks) {
    await db.deleteFrom("repository_case_automation_links").where("case_id", "in", caseIds).execute();
    const links = [...new Set(relations.automationLinks)];
    const values = caseIds.flatMap((case_id) => links.map((automation_case_id) => ({ case_id, automation_case_id })));
    if (values.length > 0) await db.insertInto("repository_case_automation_links").values(values).execute();
  }
}

/** Creates the cases (all or none: any invalid case is a 422 naming it); returns their ids in order. */
export async function createCases(
  db: Db,
  userId: number,
  projectId: number,
  inputs: readonly CreateRepositoryCaseCasesInner[],
): Promise<number[]> {
  const errors: FieldErrors = {};
  await checkReferences(
    db,
    projectId,
    inputs.map((c, i) => ({ ...c, prefix: `cases.${i}.` })),
    errors,
  );
  const issues: number[][] = [];
  for (const [i, input] of inputs.entries()) {
    issues.push(await resolveIssues(db, userId, input.issues ?? [], `cases.${i}.issues`, errors));
  }
  throwIfErrors(errors);
  const fallback = await defaults(db);
  let key = await allocateKeys(db, projectId, inputs.length);
  const now = nowIso();
  const ids: number[] = [];
  for (const [i, input] of inputs.entries()) {
    const row = await db
      .insertInto("repository_cases")
      .values({
        project_id: projectId,
        key: key++,
        folder_id: input.folder_id ?? null,
        template_id: input.template_id ?? fallback.templateId,
        state_id: input.state_id ?? fallback.stateId,
        status_id: null,
        status_at: null,
        name: input.name,
        estimate: input.estimate ?? null,
        forecast: null,
        custom_fields: JSON.stringify(customFields(input)),
        created_at: now,
        created_by: userId,
        updated_at: null,
        updated_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(row.id);
    await replaceRelations(db, [row.id], {
      tags: await tagIds(db, projectId, input.tags ?? []),
      issues: issues[i],
      automationLinks: input.automation_links ?? [],
    });
  }
  return ids;
}

/** The cases with these ids in the project, or a 404 naming those that are not. */
async function requireCases(db: Db, projectId: number, ids: readonly number[]): Promise<CaseRow[]> {
  const rows = await db
    .selectFrom("repository_cases")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "in", [...new Set(ids)])
    .execute();
  const missing = missingIds(
    ids,
    rows.map((r) => r.id),
  );
  if (missing.length > 0) {
    throw new NotFoundError(
      `Case${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in project ${projectId}. List the project's cases with GET /projects/${projectId}/cases.`,
    );
  }
  return rows;
}

/** Applies the same values to every listed case; returns their ids in request order. */
export async function updateCases(
  db: Db,
  userId: number,
  projectId: number,
  input: UpdateRepositoryCase,
): Promise<number[]> {
  const ids = [...new Set(input.ids)];
  const rows = await requireCases(db, projectId, ids);
  const errors: FieldErrors = {};
  await checkReferences(db, projectId, [{ ...input, prefix: "" }], errors);
  const issues = input.issues ? await resolveIssues(db, userId, input.issues, "issues", errors) : undefined;
  throwIfErrors(errors);
  const now = nowIso();
  const set: Partial<Record<keyof RepositoryCaseTable, unknown>> = { updated_at: now, updated_by: userId };
  if (input.name !== undefined) set.name = input.name;
  if (input.folder_id !== undefined) set.folder_id = input.folder_id;
  if (input.state_id !== undefined) set.state_id = input.state_id;
  if (input.estimate !== undefined) set.estimate = input.estimate;
  if (input.status_id !== undefined) {
    set.status_id = input.status_id;
    set.status_at = input.status_id === null ? null : now;
  }
  await db
    .updateTable("repository_cases")
    .set(set as never)
    .where("id", "in", ids)
    .execute();
  const custom = customFields(input);
  if (Object.keys(custom).length > 0) {
    for (const row of rows) {
      const merged = { ...(JSON.parse(row.custom_fields) as Record<string, unknown>), ...custom };
      await db
        .updateTable("repository_cases")
        .set({ custom_fields: JSON.stringify(merged) })
        .where("id", "=", row.id)
        .execute();
    }
  }
  await replaceRelations(db, ids, {
    tags: input.tags ? await tagIds(db, projectId, input.tags) : undefined,
    issues,
    automationLinks: input.automation_links,
  });
  return ids;
}

/** Deletes rows of cases (relations and attachment rows cascade); returns the attachments' storage keys. */
async function deleteCaseRows(db: Db, ids: readonly number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const attachments = await db
    .selectFrom("case_attachments")
    .select("storage_key")
    .where("case_id", "in", ids)
    .execute();
  await db.deleteFrom("case_attachments").where("case_id", "in", ids).execute();
  await db.deleteFrom("repository_cases").where("id", "in", ids).execute();
  return attachments.map((a) => a.storage_key);
}

/** Hard-deletes the cases; returns the storage keys of their attachment files, to remove after commit. */
export async function deleteCases(db: Db, projectId: number, ids: readonly number[]): Promise<string[]> {
  await requireCases(db, projectId, ids);
  return deleteCaseRows(db, [...new Set(ids)]);
}

export async function casesByIds(db: Db, ids: readonly number[]): Promise<CaseRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("repository_cases").selectAll().where("id", "in", ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

export interface CaseFilter {
  projectId: number;
  folderIds?: number[];
  templateIds?: number[];
  stateIds?: number[];
  statusIds?: number[];
  createdAfter?: string;
  createdBefore?: string;
  createdBy?: number[];
  hasAutomation?: boolean;
  hasAutomationStatus?: boolean;
}

export async function listCases(
  db: Db,
  filter: CaseFilter,
  page: { offset: number; limit: number; sort: "created_at" | "name"; order: "asc" | "desc" },
): Promise<{ total: number; rows: CaseRow[] }> {
  let query = db.selectFrom("repository_cases").where("project_id", "=", filter.projectId);
  if (filter.folderIds) query = query.where("folder_id", "in", filter.folderIds);
  if (filter.templateIds) query = query.where("template_id", "in", filter.templateIds);
  if (filter.stateIds) query = query.where("state_id", "in", filter.stateIds);
  if (filter.statusIds) query = query.where("status_id", "in", filter.statusIds);
  if (filter.createdAfter) query = query.where("created_at", ">=", filter.createdAfter);
  if (filter.createdBefore) query = query.where("created_at", "<=", filter.createdBefore);
  if (filter.createdBy) query = query.where("created_by", "in", filter.createdBy);
  if (filter.hasAutomation !== undefined) {
    const linked = (eb: ExpressionBuilder<Database, "repository_cases">) =>
      eb.exists(
        eb
          .selectFrom("repository_case_automation_links as l")
          .select("l.case_id")
          .whereRef("l.case_id", "=", "repository_cases.id"),
      );
    query = query.where((eb) => (filter.hasAutomation ? linked(eb) : eb.not(linked(eb))));
  }
  // Assay does not derive case statuses from automation yet: no case has one.
  if (filter.hasAutomationStatus === true) query = query.where("id", "<", 0);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy(page.sort, page.order)
    .orderBy("id", page.order)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}

export interface CaseRelations {
  tags: Map<number, { tag_id: number; name: string }[]>;
  issues: Map<
    number,
    { issue_id: number; display_id: string; integration_id: number; connection_project_id: number | null }[]
  >;
  automationLinks: Map<number, { name: string; automation_source_id: number; automation_case_id: number }[]>;
}

function group<T>(rows: readonly (T & { case_id: number })[], strip: (row: T & { case_id: number }) => T) {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.case_id) ?? [];
    list.push(strip(row));
    map.set(row.case_id, list);
  }
  return map;
}

export async function caseRelations(db: Db, caseIds: readonly number[]): Promise<CaseRelations> {
  if (caseIds.length === 0) return { tags: new Map(), issues: new Map(), automationLinks: new Map() };
  const ids = [...caseIds];
  const [tags, issues, links] = await Promise.all([
    db
      .selectFrom("repository_case_tags as ct")
      .innerJoin("repository_tags as t", "t.id", "ct.tag_id")
      .select(["ct.case_id", "t.id as tag_id", "t.name"])
      .where("ct.case_id", "in", ids)
      .orderBy("t.name")
      .execute(),
    db
      .selectFrom("repository_case_issues as ci")
      .innerJoin("issues as i", "i.id", "ci.issue_id")
      .select(["ci.case_id", "i.id as issue_id", "i.display_id", "i.integration_id", "i.connection_project_id"])
      .where("ci.case_id", "in", ids)
      .orderBy("i.id")
      .execute(),
    db
      .selectFrom("repository_case_automation_links as l")
      .innerJoin("automation_cases as a", "a.id", "l.automation_case_id")
      .select(["l.case_id", "a.name", "a.source_id as automation_source_id", "a.id as automation_case_id"])
      .where("l.case_id", "in", ids)
      .orderBy("a.id")
      .execute(),
  ]);
  return {
    tags: group(tags, ({ tag_id, name }) => ({ tag_id, name }) as never),
    issues: group(
      issues,
      ({ issue_id, display_id, integration_id, connection_project_id }) =>
        ({ issue_id, display_id, integration_id, connection_project_id }) as never,
    ),
    automationLinks: group(
      links,
      ({ name, automation_source_id, automation_case_id }) =>
        ({ name, automation_source_id, automation_case_id }) as never,
    ),
  } as CaseRelations;
}

// ---------------------------------------------------------------- attachments

export function newStorageKey(): string {
  return crypto.randomUUID();
}

export interface StoredFile {
  name: string;
  mimeType: string;
  size: number;
  storageKey: string;
}

export async function insertAttachments(
  db: Db,
  userId: number,
  kase: { id: number; project_id: number },
  files: readonly StoredFile[],
): Promise<AttachmentRow[]> {
  const now = nowIso();
  const rows: AttachmentRow[] = [];
  for (const file of files) {
    rows.push(
      await db
        .insertInto("case_attachments")
        .values({
          case_id: kase.id,
          project_id: kase.project_id,
          name: file.name,
          note: null,
          mime_type: file.mimeType,
          size: file.size,
          storage_key: file.storageKey,
          created_at: now,
          created_by: userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  }
  return rows;
}

/** Deletes attachments of one case; returns their storage keys. 404 names ids that are not the case's. */
export async function deleteAttachments(db: Db, caseId: number, ids: readonly number[]): Promise<string[]> {
  const rows = await db
    .selectFrom("case_attachments")
    .select(["id", "storage_key"])
    .where("case_id", "=", caseId)
    .where("id", "in", [...new Set(ids)])
    .execute();
  const missing = missingIds(
    ids,
    rows.map((r) => r.id),
  );
  if (missing.length > 0) {
    throw new NotFoundError(
      `Attachment${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not belong to case ${caseId}. List them with GET /cases/${caseId}/attachments.`,
    );
  }
  await db
    .deleteFrom("case_attachments")
    .where(
      "id",
      "in",
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => r.storage_key);
}

export async function listAttachments(
  db: Db,
  filter: { caseId: number; createdBy?: number[] },
  page: { offset: number; limit: number; order: "asc" | "desc" },
): Promise<{ total: number; rows: AttachmentRow[] }> {
  let query = db.selectFrom("case_attachments").where("case_id", "=", filter.caseId);
  if (filter.createdBy) query = query.where("created_by", "in", filter.createdBy);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy("id", page.order).offset(page.offset).limit(page.limit).execute();
  return { total: Number(total), rows };
}
