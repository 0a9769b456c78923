import type { Kysely, Transaction } from "kysely";
import { InvalidDataError, NotFoundError } from "../../errors.js";
import type { Access } from "../../services/access.js";
import type { PermissionName } from "../../services/permissions.js";
import { findManualRun, type ManualRunRow } from "../../storage/repositories/manual.js";
import type { Database } from "../../storage/schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export type RunResultAttachmentRow = Awaited<ReturnType<typeof attachmentsOfRun>>[number];

/** The run, if the caller may do `permission` in its project: 404 unknown, 403 not allowed. */
export async function requireRun(
  db: Db,
  access: Access,
  runId: number,
  permission: PermissionName,
  action: string,
): Promise<ManualRunRow> {
  const run = await findManualRun(db, runId);
  if (!run) throw new NotFoundError(`Run ${runId} does not exist.`);
  await access.requireIn(run.project_id, permission, action);
  return run;
}

/** Writes to a closed run are refused with what to do instead. */
export function requireOpen(run: ManualRunRow, field = "run_id") {
  if (run.is_closed === 1) {
    const message = `Run ${run.id} is closed and can no longer be changed. Create a new run to test again.`;
    throw new InvalidDataError(message, { [field]: [message] });
  }
}

export function testsOfRun(db: Db, runId: number) {
  return db
    .selectFrom("run_tests as t")
    .leftJoin("repository_cases as c", "c.id", "t.case_id")
    .select(["t.id", "t.run_id", "t.case_id", "t.name", "t.status_id", "t.assignee_id", "t.estimate", "c.folder_id"])
    .where("t.run_id", "=", runId)
    .orderBy("t.id")
    .execute();
}

export function latestResultsOfRun(db: Db, runId: number) {
  return db
    .selectFrom("run_results")
    .select(["id", "test_id", "status_id", "note", "elapsed", "created_at", "created_by"])
    .where("run_id", "=", runId)
    .where("is_latest", "=", 1)
    .where("deleted_at", "is", null)
    .execute();
}

export async function issuesOfResultIds(db: Db, resultIds: readonly number[]) {
  if (resultIds.length === 0) return [];
  return db
    .selectFrom("run_result_issues as ri")
    .innerJoin("issues as i", "i.id", "ri.issue_id")
    .select(["ri.result_id", "i.id", "i.display_id"])
    .where("ri.result_id", "in", resultIds)
    .orderBy("i.id")
    .execute();
}

export function attachmentsOfRun(db: Db, runId: number) {
  return db.selectFrom("run_result_attachments").selectAll().where("run_id", "=", runId).orderBy("id").execute();
}

export function findAttachment(db: Db, id: number) {
  return db.selectFrom("run_result_attachments").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The project's configurations by name, for choosing one when creating a run. */
export function configsOfProject(db: Db, projectId: number) {
  return db
    .selectFrom("configs")
    .select(["id", "name"])
    .where("project_id", "=", projectId)
    .orderBy("name")
    .orderBy("id")
    .execute();
}

/** The milestone must be the project's (null clears it). */
export async function requireMilestoneIn(db: Db, projectId: number, milestoneId: number | null | undefined) {
  if (milestoneId === null || milestoneId === undefined) return;
  const row = await db
    .selectFrom("milestones")
    .select("id")
    .where("id", "=", milestoneId)
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  if (!row) {
    const message = `Milestone ${milestoneId} does not exist in project ${projectId}. Choose one of the project's milestones.`;
    throw new InvalidDataError(message, { milestone_id: [message] });
  }
}

export async function requireConfigIn(db: Db, projectId: number, configId: number | null | undefined) {
  if (configId === null || configId === undefined) return;
  const row = await db
    .selectFrom("configs")
    .select("id")
    .where("id", "=", configId)
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  if (!row) {
    const message = `Configuration ${configId} does not exist in project ${projectId}. Choose one of the project's configurations or send config_name to create one.`;
    throw new InvalidDataError(message, { config_id: [message] });
  }
}
