import type { UpdateSession } from "@assay/api";
import { sql, type Transaction } from "kysely";
import { InvalidDataError, invalidField, NotFoundError } from "../../errors.js";
import type { SessionRow } from "../../storage/repositories/manual.js";
import type { Database } from "../../storage/schema.js";

/**
 * Changes to a session while it is being recorded: its fields, its timer and
 * closing it. Each runs inside the request's one transaction; a closed
 * session accepts no change (422 that says so).
 */

type Trx = Transaction<Database>;

const MICROS_PER_MS = 1000;

/** Microseconds the timer has been running at `now`; 0 while paused. */
export function runningSpan(row: Pick<SessionRow, "timer_started_at">, now: Date): number {
  if (!row.timer_started_at) return 0;
  return Math.max(0, (now.getTime() - Date.parse(row.timer_started_at)) * MICROS_PER_MS);
}

export function closedSessionError(sessionId: number): InvalidDataError {
  return new InvalidDataError(
    `Session ${sessionId} is closed and accepts no more changes, results or attachments. Start a new session to keep exploring.`,
  );
}

/** The session, read inside the transaction, if it is still open. */
export async function openSessionIn(trx: Trx, sessionId: number): Promise<SessionRow> {
  const row = await trx.selectFrom("sessions").selectAll().where("id", "=", sessionId).executeTakeFirst();
  if (!row) throw new NotFoundError(`Session ${sessionId} does not exist.`);
  if (row.is_closed === 1) throw closedSessionError(sessionId);
  return row;
}

export async function requireMilestoneIn(trx: Trx, projectId: number, milestoneId: number | null | undefined) {
  if (milestoneId === null || milestoneId === undefined) return;
  const row = await trx
    .selectFrom("milestones")
    .select("id")
    .where("id", "=", milestoneId)
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  if (!row) {
    throw invalidField(
      "milestone_id",
      `Milestone ${milestoneId} does not exist in project ${projectId}. Pick one of its milestones.`,
    );
  }
}

export async function requireUser(trx: Trx, field: string, userId: number | null | undefined) {
  if (userId === null || userId === undefined) return;
  const row = await trx.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
  if (!row) throw invalidField(field, `User ${userId} does not exist. Pick an existing user.`);
}

export async function requireTemplate(trx: Trx, templateId: number | undefined) {
  if (templateId === undefined) return;
  const row = await trx.selectFrom("session_templates").select("id").where("id", "=", templateId).executeTakeFirst();
  if (!row)
    throw invalidField(
      "template_id",
      `Session template ${templateId} does not exist. Leave it out to use the default template.`,
    );
}

export const uniqueTags = (tags: readonly string[]) => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];

async function replaceTags(trx: Trx, sessionId: number, tags: string[]) {
  await trx.deleteFrom("session_tags").where("session_id", "=", sessionId).execute();
  if (tags.length) {
    await trx
      .insertInto("session_tags")
      .values(tags.map((tag_name) => ({ session_id: sessionId, tag_name })))
      .execute();
  }
}

/** Timer columns after applying an elapsed correction and a start/pause, at `now`. */
function timerChange(row: SessionRow, body: UpdateSession, now: Date): Record<string, unknown> {
  const iso = now.toISOString();
  let elapsed = Number(row.elapsed);
  let startedAt = row.timer_started_at;
  if (body.elapsed !== undefined) {
    elapsed = body.elapsed;
    // A corrected time replaces what ran so far: a running timer counts on from now.
    if (startedAt) startedAt = iso;
  }
  if (body.timer === "pause" && startedAt) {
    elapsed += runningSpan({ timer_started_at: startedAt }, now);
    startedAt = null;
  }
  if (body.timer === "start" && !startedAt) startedAt = iso;
  const set: Record<string, unknown> = { elapsed, timer_started_at: startedAt };
  if (body.timer === "start") {
    set.is_started = 1;
    set.started_at = row.started_at ?? iso;
  }
  return set;
}

export async function updateSession(trx: Trx, userId: number, row: SessionRow, body: UpdateSession, now: Date) {
  await requireMilestoneIn(trx, row.project_id, body.milestone_id);
  await requireUser(trx, "assignee_id", body.assignee_id);
  const set: Record<string, unknown> = { updated_at: now.toISOString(), updated_by: userId };
  for (const field of ["name", "charter", "notes", "milestone_id", "assignee_id"] as const) {
    if (body[field] !== undefined) set[field] = body[field];
  }
  if (body.estimate !== undefined) {
    set.estimate = body.estimate;
    set.forecast = body.estimate;
  }
  if (body.tags !== undefined) {
    const tags = uniqueTags(body.tags);
    set.tags = JSON.stringify(tags);
    await replaceTags(trx, row.id, tags);
  }
  const touchesTimer = body.timer !== undefined || body.elapsed !== undefined;
  if (touchesTimer) Object.assign(set, timerChange(row, body, now));
  await guardedUpdate(trx, row, set, touchesTimer);
}

/**
 * Updates the open session; with `timerGuard`, only if its timer is as it was
 * read: two tabs pausing at once must not both add the running span.
 */
async function guardedUpdate(trx: Trx, row: SessionRow, set: Record<string, unknown>, timerGuard: boolean) {
  let query = trx
    .updateTable("sessions")
    .set(set as never)
    .where("id", "=", row.id)
    .where("is_closed", "=", 0);
  if (timerGuard) {
    query = row.timer_started_at
      ? query.where("timer_started_at", "=", row.timer_started_at)
      : query.where("timer_started_at", "is", null);
  }
  const done = await query.executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) {
    throw new InvalidDataError(
      `Session ${row.id} was changed by someone else at the same time. Reload it and try again.`,
    );
  }
}

/** Closes the session; a running timer is paused first so its time counts. */
export async function closeRecordedSession(trx: Trx, userId: number, row: SessionRow, now: Date) {
  const iso = now.toISOString();
  await guardedUpdate(
    trx,
    row,
    {
      elapsed: sql`elapsed + ${runningSpan(row, now)}`,
      timer_started_at: null,
      is_closed: 1,
      closed_at: iso,
      closed_by: userId,
      updated_at: iso,
      updated_by: userId,
    },
    true,
  );
}
