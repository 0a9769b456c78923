import {
  type AppendToAutomationRun,
  type AppendToAutomationRunThread,
  AutomationStatus,
  type CompleteAutomationRun,
  type CompleteAutomationRunThread,
  type CreateAutomationRun,
  type CreateAutomationRunThread,
  STATUS_SLOTS,
  TestOutcome,
} from "@assay/api";
import type { Transaction } from "kysely";
import type { AppContext } from "../context.js";
import { type FieldErrors, InvalidDataError, invalidField, NotFoundError } from "../errors.js";
import type { MutationResult } from "../plugins/idempotency.js";
import { resultsIngested } from "../plugins/metrics.js";
import {
  addCounts,
  countColumns,
  findConfig,
  findOrCreateConfig,
  findOrCreateSource,
  findRun,
  findThreadWithRun,
  insertResources,
  milestonesOfProject,
} from "../storage/repositories/automation.js";
import { type IncomingTest, insertTests } from "../storage/repositories/automation-tests.js";
import type { Database } from "../storage/schema.js";
import type { Access } from "./access.js";
import { commitKey } from "./insights/aggregates.js";
import { failureOf } from "./insights/failures.js";
import { revisionOf } from "./insights/revision.js";
import { loadInsightSettings } from "./insights/settings.js";
import type { StatusCatalog } from "./statuses.js";

type Trx = Transaction<Database>;

// ------------------------------------------------------------------ lookups with permission checks

/** The run, if the caller may do `permission` in its project (404 / 403 otherwise). */
export async function requireRun(ctx: AppContext, access: Access, runId: number, permission: "view" | "automation") {
  const run = await findRun(ctx.storage.db, runId);
  if (!run) throw new NotFoundError(`Automation run ${runId} does not exist.`);
  await access.requireIn(run.project_id, permission, permissionAction(permission));
  return run;
}

export async function requireThread(ctx: AppContext, access: Access, threadId: number) {
  const thread = await findThreadWithRun(ctx.storage.db, threadId);
  if (!thread) throw new NotFoundError(`Automation run thread ${threadId} does not exist.`);
  await access.requireIn(thread.project_id, "automation", permissionAction("automation"));
  return thread;
}

function permissionAction(permission: "view" | "automation"): string {
  return permission === "view" ? "view automation runs" : "submit automation results";
}

// ------------------------------------------------------------------ runs

export async function createRun(
  trx: Trx,
  userId: number,
  projectId: number,
  body: CreateAutomationRun,
): Promise<MutationResult> {
  const now = new Date().toISOString();
  const sourceId = await findOrCreateSource(trx, projectId, body.source, userId, now);
  const configId = await resolveConfig(trx, projectId, body, userId, now);
  const tags = [...new Set(body.tags ?? [])];
  const milestoneId = await resolveMilestone(trx, projectId, body, tags);
  const run = await trx
    .insertInto("automation_runs")
    .values({
      project_id: projectId,
      source_id: sourceId,
      name: body.name,
      status: AutomationStatus.running,
      config_id: configId,
      milestone_id: milestoneId,
      elapsed: null,
      is_completed: 0,
      tags: JSON.stringify(tags),
      thread_count: 0,
      created_at: now,
      created_by: userId,
      updated_at: null,
      updated_by: null,
      completed_at: null,
      completed_by: null,
      ...revisionOf(body.fields ?? []),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (tags.length > 0) {
    await trx
      .insertInto("automation_run_tags")
      .values(tags.map((tag) => ({ run_id: run.id, tag })))
      .execute();
  }
  await insertResources(trx, run.id, null, body);
  return { status: 201, body: { id: run.id } };
}

/** `config_id` wins over `config`; an unknown name creates the configuration, like sources. */
async function resolveConfig(trx: Trx, projectId: number, body: CreateAutomationRun, userId: number, now: string) {
  if (body.config_id !== undefined) {
    if (!(await findConfig(trx, projectId, body.config_id))) {
      throw invalidField("config_id", `Configuration ${body.config_id} does not exist in project ${projectId}.`);
    }
    return body.config_id;
  }
  return body.config ? findOrCreateConfig(trx, projectId, body.config, userId, now) : null;
}

/**
 * `milestone_id` wins over `milestone` (a name); both must exist. Without
 * either, the newest active milestone whose automation tags share a tag with
 * the run is linked.
 */
async function resolveMilestone(trx: Trx, projectId: number, body: CreateAutomationRun, tags: string[]) {
  if (body.milestone_id === undefined && !body.milestone && tags.length === 0) return null;
  const milestones = await milestonesOfProject(trx, projectId);
  if (body.milestone_id !== undefined) {
    if (!milestones.some((m) => m.id === body.milestone_id)) {
      throw invalidField("milestone_id", `Milestone ${body.milestone_id} does not exist in project ${projectId}.`);
    }
    return body.milestone_id;
  }
  if (body.milestone) {
    const named = milestones.filter((m) => m.name.toLowerCase() === body.milestone!.toLowerCase());
    if (named.length === 0) {
      throw invalidField(
        "milestone",
        `Milestone "${body.milestone}" does not exist in project ${projectId}. Create it first or leave the milestone out.`,
      );
    }
    return named.at(-1)!.id;
  }
  const tagged = milestones.filter(
    (m) => m.is_completed === 0 && (JSON.parse(m.automation_tags) as string[]).some((t) => tags.includes(t)),
  );
  return tagged.at(-1)?.id ?? null;
}

export async function appendToRun(trx: Trx, userId: number, runId: number, body: AppendToAutomationRun) {
  const now = new Date().toISOString();
  const updated = await trx
    .updateTable("automation_runs")
    .set({ updated_at: now, updated_by: userId, ...revisionOf(body.fields ?? [], { onlyGiven: true }) })
    .where("id", "=", runId)
    .where("is_completed", "=", 0)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw completedRun(runId);
  await insertResources(trx, runId, null, body);
  return { status: 204 };
}

export async function completeRun(
  statuses: StatusCatalog,
  trx: Trx,
  userId: number,
  runId: number,
  body: CompleteAutomationRun,
): Promise<MutationResult> {
  const now = new Date();
  const closed = await trx
    .updateTable("automation_runs")
    .set({ is_completed: 1, completed_at: now.toISOString(), completed_by: userId })
    .where("id", "=", runId)
    .where("is_completed", "=", 0)
    .returning(["created_at"])
    .executeTakeFirst();
  if (!closed) throw new InvalidDataError(`Automation run ${runId} is already completed.`);
  const threads = await trx.selectFrom("automation_run_threads").selectAll().where("run_id", "=", runId).execute();
  for (const thread of threads.filter((t) => t.is_completed === 0)) {
    await trx
      .updateTable("automation_run_threads")
      .set({
        is_completed: 1,
        status: finalStatus(statuses, (id) => countOf(thread, id)),
        completed_at: now.toISOString(),
        completed_by: userId,
      })
      .where("id", "=", thread.id)
      .execute();
  }
  const status = finalStatus(statuses, (id) => threads.reduce((sum, t) => sum + countOf(t, id), 0));
  const elapsed = body.measure_elapsed
    ? (now.getTime() - Date.parse(closed.created_at)) * 1000
    : longestThread(threads);
  await trx
    .updateTable("automation_runs")
    .set({ status, elapsed, updated_at: now.toISOString(), updated_by: userId })
    .where("id", "=", runId)
    .execute();
  return { status: 204 };
}

// ------------------------------------------------------------------ threads

export async function createThread(
  trx: Trx,
  userId: number,
  runId: number,
  body: CreateAutomationRunThread,
): Promise<MutationResult> {
  const run = await trx
    .updateTable("automation_runs")
    .set((eb) => ({ thread_count: eb("thread_count", "+", 1) }))
    .where("id", "=", runId)
    .where("is_completed", "=", 0)
    .returning(["thread_count"])
    .executeTakeFirst();
  if (!run) throw completedRun(runId, "new threads");
  const thread = await trx
    .insertInto("automation_run_threads")
    .values({
      run_id: runId,
      index: run.thread_count,
      status: AutomationStatus.running,
      elapsed_observed: body.elapsed_observed ?? null,
      elapsed_computed: body.elapsed_computed ?? null,
      is_completed: 0,
      created_at: new Date().toISOString(),
      created_by: userId,
      completed_at: null,
      completed_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await insertResources(trx, runId, thread.id, body);
  return { status: 201, body: { id: thread.id } };
}

/** Resolves every status alias before anything is written, so one bad test rejects the whole append. */
export function resolveTests(statuses: StatusCatalog, body: AppendToAutomationRunThread): IncomingTest[] {
  const errors: FieldErrors = {};
  const tests = (body.tests ?? []).map((test, index) => {
    const statusId = statuses.resolve(test.status);
    if (statusId === undefined && Object.keys(errors).length < 20) {
      errors[`tests.${index}.status`] = [
        `Unknown test status "${test.status}". Use one of: ${statuses.aliases.join(", ")}.`,
      ];
    }
    const outcome = statuses.outcomeOf(statusId ?? 0);
    return {
      test,
      statusId: statusId ?? 0,
      outcome,
      failure: outcome === TestOutcome.failure ? failureOf(test) : null,
    };
  });
  if (Object.keys(errors).length > 0) {
    const first = Object.values(errors)[0]![0]!;
    throw new InvalidDataError(`The given data was invalid: ${first}`, errors);
  }
  return tests;
}

export async function appendToThread(
  ctx: AppContext,
  trx: Trx,
  thread: { id: number; run_id: number; project_id: number; source_id: number },
  body: AppendToAutomationRunThread,
  tests: IncomingTest[],
  /** when the results happened: now, except for the demo's backdated history */
  now = new Date().toISOString(),
): Promise<MutationResult> {
  const counts = new Map<number, number>();
  let testsElapsed = 0;
  for (const { statusId, test } of tests) {
    counts.set(statusId, (counts.get(statusId) ?? 0) + 1);
    testsElapsed += test.elapsed ?? 0;
  }
  const open = await addCounts(trx, thread.id, counts, {
    elapsed_observed: body.elapsed_observed,
    elapsed_computed: body.elapsed_computed,
    tests_elapsed: testsElapsed,
  });
  if (!open) throw completedThread(thread.id);
  if (tests.length > 0) {
    const run = await trx
      .selectFrom("automation_runs")
      .select("commit_sha")
      .where("id", "=", thread.run_id)
      .executeTakeFirstOrThrow();
    const target = {
      projectId: thread.project_id,
      sourceId: thread.source_id,
      runId: thread.run_id,
      threadId: thread.id,
      now,
      commitKey: commitKey(run.commit_sha, thread.run_id),
      settings: await loadInsightSettings(trx, thread.project_id),
    };
    await insertTests(ctx.storage, trx, target, tests);
    resultsIngested.inc(tests.length);
  }
  await insertResources(trx, thread.run_id, thread.id, body);
  return { status: 204 };
}

export async function completeThread(
  statuses: StatusCatalog,
  trx: Trx,
  userId: number,
  threadId: number,
  body: CompleteAutomationRunThread,
): Promise<MutationResult> {
  const thread = await trx
    .selectFrom("automation_run_threads")
    .selectAll()
    .where("id", "=", threadId)
    .executeTakeFirst();
  if (!thread || thread.is_completed === 1) throw completedThread(threadId);
  const closed = await trx
    .updateTable("automation_run_threads")
    .set({
      is_completed: 1,
      status: finalStatus(statuses, (id) => countOf(thread, id)),
      completed_at: new Date().toISOString(),
      completed_by: userId,
      ...(body.elapsed_observed !== undefined ? { elapsed_observed: body.elapsed_observed } : {}),
      ...(body.elapsed_computed !== undefined ? { elapsed_computed: body.elapsed_computed } : {}),
    })
    .where("id", "=", threadId)
    .where("is_completed", "=", 0)
    .executeTakeFirst();
  if (Number(closed.numUpdatedRows) !== 1) throw completedThread(threadId);
  return { status: 204 };
}

// ------------------------------------------------------------------ rules

type Counted = { [K in `count_${number}`]?: number };

/** `count_<id>` for every status slot, built once: reads sit on every run, session and thread presented. */
const COUNT_COLUMNS = Array.from({ length: STATUS_SLOTS + 1 }, (_, id) => `count_${id}`);

export function countOf(row: Counted, statusId: number): number {
  return (row as Record<string, number>)[COUNT_COLUMNS[statusId] ?? `count_${statusId}`] ?? 0;
}

/** A row's counts by status id (index 0 unused), read once instead of once per field that needs them. */
export function countVector(row: Counted): number[] {
  const counts = new Array<number>(STATUS_SLOTS + 1).fill(0);
  for (let id = 1; id <= STATUS_SLOTS; id++) counts[id] = countOf(row, id);
  return counts;
}

/** Element-wise sum of count vectors (a run's counts are its threads'). */
export function sumCountVectors(vectors: readonly number[][]): number[] {
  const total = new Array<number>(STATUS_SLOTS + 1).fill(0);
  for (const vector of vectors) for (let id = 1; id <= STATUS_SLOTS; id++) total[id]! += vector[id] ?? 0;
  return total;
}

/** Success when no test is in a failed status, failure otherwise. */
export function finalStatus(statuses: StatusCatalog, count: (statusId: number) => number): number {
  return statuses.summarize(count).failure > 0 ? AutomationStatus.failure : AutomationStatus.success;
}

type ThreadTimes = { elapsed_observed: number | null; elapsed_computed: number | null };

export function threadElapsed(thread: ThreadTimes): number | null {
  return thread.elapsed_observed ?? thread.elapsed_computed;
}

/** Run time without measure_elapsed: that of its longest thread. */
export function longestThread(threads: readonly ThreadTimes[]): number | null {
  const times = threads.map(threadElapsed).filter((t): t is number => t !== null);
  return times.length > 0 ? Math.max(...times) : null;
}

function completedRun(runId: number, what = "more results") {
  return new InvalidDataError(
    `Automation run ${runId} is already completed and accepts no ${what}. Create a new run to submit more results.`,
  );
}

function completedThread(threadId: number) {
  return new InvalidDataError(
    `Automation run thread ${threadId} is already completed (or its run is) and accepts no more results. Create a new thread.`,
  );
}

export { countColumns };
