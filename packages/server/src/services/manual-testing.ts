import { type Kysely, sql, type Transaction } from "kysely";
import { InvalidDataError, invalidField, NotFoundError } from "../errors.js";
import type { Database } from "../storage/schema.js";
import type { StatusCatalog } from "./statuses.js";

/**
 * Creating and progressing milestones, manual runs, run results and
 * exploratory sessions. Testmo's API has no endpoints for this (its UI does
 * it); the `assay-server` shell commands and the demo call these functions,
 * always inside one transaction. `at` backdates an action (the demo spreads
 * data over past weeks); it defaults to now.
 */

type Trx = Transaction<Database> | Kysely<Database>;

export interface LinkInput {
  name: string;
  url: string;
  note?: string | null;
}

const UNTESTED = 1;

function isoAt(at?: string | Date): string {
  return at === undefined ? new Date().toISOString() : new Date(at).toISOString();
}

async function requireInProject(
  trx: Trx,
  table: "milestones" | "configs",
  field: string,
  projectId: number,
  id: number | null | undefined,
) {
  if (id === null || id === undefined) return null;
  const row = await trx
    .selectFrom(table)
    .select("id")
    .where("id", "=", id)
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  const what = table === "milestones" ? "Milestone" : "Configuration";
  if (!row) throw invalidField(field, `${what} ${id} does not exist in project ${projectId}.`);
  return id;
}

async function defaultId(trx: Trx, table: "states" | "milestone_types" | "session_templates", field: string) {
  const row = await trx.selectFrom(table).select("id").orderBy("is_default", "desc").orderBy("id").executeTakeFirst();
  if (!row) throw invalidField(field, `No ${table.replace("_", " ")} exist. Run the database migrations first.`);
  return row.id;
}

function requireStatus(statuses: StatusCatalog, statusId: number) {
  if (!statuses.all.some((s) => s.id === statusId)) {
    throw invalidField(
      "status_id",
      `Status ${statusId} does not exist. Use one of: ${statuses.all.map((s) => `${s.id} (${s.name})`).join(", ")}.`,
    );
  }
}

const uniqueTags = (tags: readonly string[] | undefined) => [
  ...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean)),
];

// ------------------------------------------------------------------ milestones

export interface MilestoneInput {
  name: string;
  note?: string | null;
  typeId?: number;
  parentId?: number | null;
  startDate?: string | null;
  dueDate?: string | null;
  automationTags?: string[];
  links?: LinkInput[];
  issueIds?: number[];
  started?: boolean;
  at?: string | Date;
}

export async function createMilestone(trx: Trx, userId: number, projectId: number, input: MilestoneInput) {
  const now = isoAt(input.at);
  let rootId: number | null = null;
  if (input.parentId) {
    const parent = await trx
      .selectFrom("milestones")
      .select(["id", "root_id"])
      .where("id", "=", input.parentId)
      .where("project_id", "=", projectId)
      .executeTakeFirst();
    if (!parent) throw invalidField("parent_id", `Milestone ${input.parentId} does not exist in project ${projectId}.`);
    rootId = parent.root_id ?? parent.id;
  }
  const typeId = input.typeId ?? (await defaultId(trx, "milestone_types", "type_id"));
  const row = await trx
    .insertInto("milestones")
    .values({
      project_id: projectId,
      root_id: rootId,
      parent_id: input.parentId ?? null,
      type_id: typeId,
      name: input.name,
      note: input.note ?? null,
      is_started: input.started ? 1 : 0,
      is_completed: 0,
      start_date: input.startDate ?? null,
      due_date: input.dueDate ?? null,
      automation_tags: JSON.stringify(uniqueTags(input.automationTags)),
      started_at: input.started ? now : null,
      completed_at: null,
      created_at: now,
      created_by: userId,
      updated_at: null,
      updated_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (input.links?.length) {
    await trx
      .insertInto("milestone_links")
      .values(input.links.map((l) => ({ milestone_id: row.id, name: l.name, url: l.url, note: l.note ?? null })))
      .execute();
  }
  const issues = [...new Set(input.issueIds ?? [])];
  if (issues.length) {
    await trx
      .insertInto("milestone_issues")
      .values(issues.map((issue_id) => ({ milestone_id: row.id, issue_id })))
      .execute();
  }
  return row.id;
}

export async function completeMilestone(trx: Trx, userId: number, milestoneId: number, at?: string | Date) {
  const now = isoAt(at);
  const done = await trx
    .updateTable("milestones")
    .set({ is_completed: 1, completed_at: now, updated_at: now, updated_by: userId })
    .where("id", "=", milestoneId)
    .where("is_completed", "=", 0)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) {
    throw new InvalidDataError(`Milestone ${milestoneId} does not exist or is already completed.`);
  }
}

// ------------------------------------------------------------------ manual runs

export interface RunCaseInput {
  caseId: number;
  name: string;
  assigneeId?: number | null;
  /** µs */
  estimate?: number | null;
}

export interface ManualRunInput {
  name: string;
  configId?: number | null;
  milestoneId?: number | null;
  stateId?: number;
  tags?: string[];
  links?: LinkInput[];
  issueIds?: number[];
  cases: RunCaseInput[];
  at?: string | Date;
}

/** A run with one untested test per case; `forecast` is the sum of the cases' estimates. */
export async function createManualRun(trx: Trx, userId: number, projectId: number, input: ManualRunInput) {
  const now = isoAt(input.at);
  const milestoneId = await requireInProject(trx, "milestones", "milestone_id", projectId, input.milestoneId);
  const configId = await requireInProject(trx, "configs", "config_id", projectId, input.configId);
  const stateId = input.stateId ?? (await defaultId(trx, "states", "state_id"));
  const tags = uniqueTags(input.tags);
  const estimates = input.cases.map((c) => c.estimate ?? 0);
  const forecast = estimates.some((e) => e > 0) ? estimates.reduce((a, b) => a + b, 0) : null;
  const run = await trx
    .insertInto("runs")
    .values({
      project_id: projectId,
      name: input.name,
      config_id: configId,
      milestone_id: milestoneId,
      state_id: stateId,
      forecast,
      forecast_completed: forecast === null ? null : 0,
      is_started: 0,
      is_closed: 0,
      tags: JSON.stringify(tags),
      started_at: null,
      closed_at: null,
      closed_by: null,
      count_1: input.cases.length,
      created_at: now,
      created_by: userId,
      updated_at: null,
      updated_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (input.cases.length) {
    await trx
      .insertInto("run_tests")
      .values(
        input.cases.map((c) => ({
          run_id: run.id,
          case_id: c.caseId,
          name: c.name,
          status_id: UNTESTED,
          assignee_id: c.assigneeId ?? null,
          estimate: c.estimate ?? null,
          created_at: now,
        })),
      )
      .execute();
  }
  if (tags.length) {
    await trx
      .insertInto("run_tags")
      .values(tags.map((tag_name) => ({ run_id: run.id, tag_name })))
      .execute();
  }
  if (input.links?.length) {
    await trx
      .insertInto("run_links")
      .values(input.links.map((l) => ({ run_id: run.id, name: l.name, url: l.url, note: l.note ?? null })))
      .execute();
  }
  const issues = [...new Set(input.issueIds ?? [])];
  if (issues.length) {
    await trx
      .insertInto("run_issues")
      .values(issues.map((issue_id) => ({ run_id: run.id, issue_id })))
      .execute();
  }
  return run.id;
}

export function testsOfRun(trx: Trx, runId: number) {
  return trx.selectFrom("run_tests").selectAll().where("run_id", "=", runId).orderBy("id").execute();
}

export interface RunResultInput {
  statusId: number;
  note?: string | null;
  /** µs */
  elapsed?: number;
  /** the test's assignee is kept when omitted */
  assigneeId?: number | null;
  issueIds?: number[];
  at?: string | Date;
}

/**
 * Adds a result to a test of an open run: it becomes the test's latest
 * result, the test takes its status, and the run's counters move the test
 * from its old status to the new one.
 */
export async function addRunResult(
  statuses: StatusCatalog,
  trx: Trx,
  userId: number,
  testId: number,
  input: RunResultInput,
) {
  requireStatus(statuses, input.statusId);
  const now = isoAt(input.at);
  const test = await trx
    .selectFrom("run_tests as t")
    .innerJoin("runs as r", "r.id", "t.run_id")
    .select([
      "t.id",
      "t.run_id",
      "t.case_id",
      "t.status_id",
      "t.assignee_id",
      "t.estimate",
      "r.project_id",
      "r.is_closed",
    ])
    .where("t.id", "=", testId)
    .executeTakeFirst();
  if (!test) throw new NotFoundError(`Test ${testId} does not exist in any run.`);
  if (test.is_closed === 1) {
    throw new InvalidDataError(`Run ${test.run_id} is closed and accepts no more results. Reopen it or use a new run.`);
  }
  const assigneeId = input.assigneeId === undefined ? test.assignee_id : input.assigneeId;
  const elapsed = input.elapsed ?? 0;
  await trx.updateTable("run_results").set({ is_latest: 0 }).where("test_id", "=", testId).execute();
  const result = await trx
    .insertInto("run_results")
    .values({
      project_id: test.project_id,
      run_id: test.run_id,
      test_id: testId,
      case_id: test.case_id,
      status_id: input.statusId,
      is_latest: 1,
      note: input.note ?? null,
      elapsed,
      assignee_id: assigneeId,
      deleted_at: null,
      deleted_by: null,
      created_at: now,
      created_by: userId,
      updated_at: null,
      updated_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const issues = [...new Set(input.issueIds ?? [])];
  if (issues.length) {
    await trx
      .insertInto("run_result_issues")
      .values(issues.map((issue_id) => ({ result_id: result.id, issue_id })))
      .execute();
  }
  await trx
    .updateTable("run_tests")
    .set({ status_id: input.statusId, assignee_id: assigneeId })
    .where("id", "=", testId)
    .execute();

  const wasFinal = statuses.all.find((s) => s.id === test.status_id)?.is_final ?? false;
  const isFinal = statuses.all.find((s) => s.id === input.statusId)?.is_final ?? false;
  const estimate = test.estimate ?? 0;
  const completedDelta = (isFinal ? estimate : 0) - (wasFinal ? estimate : 0);
  const set: Record<string, unknown> = {
    elapsed: sql`elapsed + ${elapsed}`,
    is_started: 1,
    started_at: sql`coalesce(started_at, ${now})`,
    updated_at: now,
    updated_by: userId,
    forecast_completed: sql`case when forecast is null then null else coalesce(forecast_completed, 0) + ${completedDelta} end`,
  };
  if (test.status_id !== input.statusId) {
    set[`count_${test.status_id}`] = sql`${sql.ref(`count_${test.status_id}`)} - 1`;
    set[`count_${input.statusId}`] = sql`${sql.ref(`count_${input.statusId}`)} + 1`;
  }
  await trx
    .updateTable("runs")
    .set(set as never)
    .where("id", "=", test.run_id)
    .execute();
  return result.id;
}

export async function closeRun(trx: Trx, userId: number, runId: number, at?: string | Date) {
  const now = isoAt(at);
  const closed = await trx
    .updateTable("runs")
    .set({ is_closed: 1, closed_at: now, closed_by: userId, updated_at: now, updated_by: userId })
    .where("id", "=", runId)
    .where("is_closed", "=", 0)
    .executeTakeFirst();
  if (Number(closed.numUpdatedRows) !== 1)
    throw new InvalidDataError(`Run ${runId} does not exist or is already closed.`);
}

// ------------------------------------------------------------------ sessions

export interface SessionInput {
  name: string;
  templateId?: number;
  configId?: number | null;
  milestoneId?: number | null;
  stateId?: number;
  assigneeId?: number | null;
  /** µs */
  estimate?: number | null;
  tags?: string[];
  issueIds?: number[];
  at?: string | Date;
}

export async function createSession(trx: Trx, userId: number, projectId: number, input: SessionInput) {
  const now = isoAt(input.at);
  const milestoneId = await requireInProject(trx, "milestones", "milestone_id", projectId, input.milestoneId);
  const configId = await requireInProject(trx, "configs", "config_id", projectId, input.configId);
  const templateId = input.templateId ?? (await defaultId(trx, "session_templates", "template_id"));
  const stateId = input.stateId ?? (await defaultId(trx, "states", "state_id"));
  const tags = uniqueTags(input.tags);
  const session = await trx
    .insertInto("sessions")
    .values({
      project_id: projectId,
      template_id: templateId,
      name: input.name,
      config_id: configId,
      milestone_id: milestoneId,
      state_id: stateId,
      assignee_id: input.assigneeId ?? null,
      estimate: input.estimate ?? null,
      forecast: input.estimate ?? null,
      is_started: 0,
      is_closed: 0,
      tags: JSON.stringify(tags),
      started_at: null,
      closed_at: null,
      closed_by: null,
      created_at: now,
      created_by: userId,
      updated_at: null,
      updated_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (tags.length) {
    await trx
      .insertInto("session_tags")
      .values(tags.map((tag_name) => ({ session_id: session.id, tag_name })))
      .execute();
  }
  const issues = [...new Set(input.issueIds ?? [])];
  if (issues.length) {
    await trx
      .insertInto("session_issues")
      .values(issues.map((issue_id) => ({ session_id: session.id, issue_id })))
      .execute();
  }
  return session.id;
}

/** A finding of a session (status, note, time spent); counted on the session. */
export async function addSessionResult(
  statuses: StatusCatalog,
  trx: Trx,
  userId: number,
  sessionId: number,
  input: { statusId: number; note?: string | null; elapsed?: number; at?: string | Date },
) {
  requireStatus(statuses, input.statusId);
  const now = isoAt(input.at);
  const elapsed = input.elapsed ?? 0;
  const column = `count_${input.statusId}`;
  const updated = await trx
    .updateTable("sessions")
    .set({
      [column]: sql`${sql.ref(column)} + 1`,
      elapsed: sql`elapsed + ${elapsed}`,
      is_started: 1,
      started_at: sql`coalesce(started_at, ${now})`,
      updated_at: now,
      updated_by: userId,
    } as never)
    .where("id", "=", sessionId)
    .where("is_closed", "=", 0)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) {
    throw new InvalidDataError(`Session ${sessionId} does not exist or is closed; it accepts no more results.`);
  }
  const row = await trx
    .insertInto("session_results")
    .values({
      session_id: sessionId,
      status_id: input.statusId,
      note: input.note ?? null,
      elapsed,
      created_at: now,
      created_by: userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function closeSession(trx: Trx, userId: number, sessionId: number, at?: string | Date) {
  const now = isoAt(at);
  const closed = await trx
    .updateTable("sessions")
    .set({ is_closed: 1, closed_at: now, closed_by: userId, updated_at: now, updated_by: userId })
    .where("id", "=", sessionId)
    .where("is_closed", "=", 0)
    .executeTakeFirst();
  if (Number(closed.numUpdatedRows) !== 1) {
    throw new InvalidDataError(`Session ${sessionId} does not exist or is already closed.`);
  }
}
