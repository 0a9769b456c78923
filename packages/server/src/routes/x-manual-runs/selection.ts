import type { CreateManualRun } from "@assay/api";
import { MAX_TESTS_PER_RUN } from "@assay/api";
import type { Kysely, Transaction } from "kysely";
import { type FieldErrors, InvalidDataError } from "../../errors.js";
import { effectivePermissions, has, Permission } from "../../services/permissions.js";
import { containsText } from "../../storage/like.js";
import { activeUsersWithRoles } from "../../storage/repositories/identity.js";
import { accessOverrides } from "../../storage/repositories/projects.js";
import type { Database } from "../../storage/schema.js";

/**
 * What a new manual run is made of: the cases chosen by folder (with
 * subfolders), by id and by filter, and the users their tests go to. Every
 * reference is checked against the run's project; problems are collected
 * field by field and answered together as one 422.
 */

type Db = Kysely<Database> | Transaction<Database>;

export interface SelectedCase {
  caseId: number;
  name: string;
  estimate: number | null;
}

function addError(errors: FieldErrors, field: string, message: string) {
  const list = errors[field] ?? [];
  list.push(message);
  errors[field] = list;
}

/** The folders and all their subfolders; unknown ids are reported under `folder_ids.N`. */
async function folderTree(db: Db, projectId: number, folderIds: readonly number[], errors: FieldErrors) {
  if (folderIds.length === 0) return [];
  const folders = await db
    .selectFrom("repository_folders")
    .select(["id", "parent_id"])
    .where("project_id", "=", projectId)
    .execute();
  const children = new Map<number, number[]>();
  for (const f of folders) {
    if (f.parent_id === null) continue;
    children.set(f.parent_id, [...(children.get(f.parent_id) ?? []), f.id]);
  }
  const known = new Set(folders.map((f) => f.id));
  const result = new Set<number>();
  folderIds.forEach((id, i) => {
    if (!known.has(id)) {
      addError(errors, `folder_ids.${i}`, `Folder ${id} does not exist in project ${projectId}.`);
      return;
    }
    const stack = [id];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (result.has(next)) continue;
      result.add(next);
      stack.push(...(children.get(next) ?? []));
    }
  });
  return [...result];
}

async function unknownCaseIds(db: Db, projectId: number, caseIds: readonly number[], errors: FieldErrors) {
  if (caseIds.length === 0) return;
  const found = await db
    .selectFrom("repository_cases")
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "in", [...new Set(caseIds)])
    .execute();
  const known = new Set(found.map((r) => r.id));
  caseIds.forEach((id, i) => {
    if (!known.has(id)) addError(errors, `case_ids.${i}`, `Case ${id} does not exist in project ${projectId}.`);
  });
}

/** Cases of the project chosen by folders, ids or filter, in folder and key order, each once. */
export async function selectCases(db: Db, projectId: number, input: CreateManualRun): Promise<SelectedCase[]> {
  const errors: FieldErrors = {};
  const folderIds = await folderTree(db, projectId, input.folder_ids ?? [], errors);
  const caseIds = input.case_ids ?? [];
  await unknownCaseIds(db, projectId, caseIds, errors);
  if (Object.keys(errors).length > 0) {
    throw new InvalidDataError("Some selected folders or cases do not exist in this project.", errors);
  }
  const filter = input.case_filter;
  const hasFilter = filter !== undefined && (filter.name !== undefined || (filter.tags?.length ?? 0) > 0);
  if (folderIds.length === 0 && caseIds.length === 0 && !hasFilter) throw emptySelection();

  const rows = await db
    .selectFrom("repository_cases as c")
    .select(["c.id", "c.name", "c.estimate", "c.folder_id", "c.key"])
    .where("c.project_id", "=", projectId)
    .where((eb) => {
      const any = [];
      if (folderIds.length > 0) any.push(eb("c.folder_id", "in", folderIds));
      if (caseIds.length > 0) any.push(eb("c.id", "in", [...new Set(caseIds)]));
      if (hasFilter) {
        const all = [];
        if (filter.name !== undefined) all.push(containsText("c.name", filter.name));
        if (filter.tags?.length) {
          const tags = filter.tags.map((t) => t.toLowerCase());
          all.push(
            eb.exists(
              eb
                .selectFrom("repository_case_tags as ct")
                .innerJoin("repository_tags as t", "t.id", "ct.tag_id")
                .select("ct.case_id")
                .whereRef("ct.case_id", "=", "c.id")
                .where((e) => e(e.fn("lower", ["t.name"]), "in", tags)),
            ),
          );
        }
        any.push(eb.and(all));
      }
      return eb.or(any);
    })
    .orderBy("c.folder_id")
    .orderBy("c.key")
    .limit(MAX_TESTS_PER_RUN + 1)
    .execute();
  if (rows.length === 0) throw emptySelection();
  if (rows.length > MAX_TESTS_PER_RUN) {
    throw new InvalidDataError(
      `The selection has more than ${MAX_TESTS_PER_RUN} cases. Choose fewer folders or a narrower filter, and split the testing into several runs.`,
      { folder_ids: [`At most ${MAX_TESTS_PER_RUN} cases per run.`] },
    );
  }
  return rows.map((r) => ({ caseId: r.id, name: r.name, estimate: r.estimate === null ? null : Number(r.estimate) }));
}

function emptySelection() {
  const message =
    "The selection has no cases. Choose folders that contain cases, case ids, or a filter (name or tags) that matches cases.";
  return new InvalidDataError(message, {
    folder_ids: [message],
    case_ids: [message],
    case_filter: [message],
  });
}

/**
 * Checks that each assignee is an active user who may add results in the
 * project (a tester, project manager or administrator there).
 */
export async function requireAssignees(db: Db, projectId: number, userIds: readonly number[], field: string) {
  if (userIds.length === 0) return;
  const [users, overrides] = await Promise.all([
    activeUsersWithRoles(db as Kysely<Database>),
    accessOverrides(db as Kysely<Database>, [projectId]),
  ]);
  const list = overrides.get(projectId) ?? [];
  const byId = new Map(users.map((u) => [u.id, u]));
  const errors: FieldErrors = {};
  userIds.forEach((id, i) => {
    const user = byId.get(id);
    const key = userIds.length === 1 && field === "assignee_id" ? field : `${field}.${i}`;
    if (!user) addError(errors, key, `User ${id} does not exist or is deactivated.`);
    else if (!has(effectivePermissions(user.role_permissions, user.groupIds, user.id, list), Permission.results)) {
      addError(
        errors,
        key,
        `${user.name} may not add results in project ${projectId}. Give them a role with the "results" permission there, or choose someone else.`,
      );
    }
  });
  if (Object.keys(errors).length > 0) {
    throw new InvalidDataError("Some assignees cannot test in this project.", errors);
  }
}

/** Tests go to the assignees in turn, so each tester gets a similar share. */
export function shareAmong<T>(items: readonly T[], assigneeIds: readonly number[]) {
  const unique = [...new Set(assigneeIds)];
  return items.map((item, i) => ({ item, assigneeId: unique.length === 0 ? null : unique[i % unique.length]! }));
}
