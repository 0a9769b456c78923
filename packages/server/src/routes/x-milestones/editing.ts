import type { CreateMilestone, UpdateMilestone } from "@assay/api";
import type { Transaction } from "kysely";
import { InvalidDataError, invalidField } from "../../errors.js";
import { createMilestone } from "../../services/manual-testing.js";
import type { MilestoneRow } from "../../storage/repositories/manual.js";
import type { Database } from "../../storage/schema.js";

/** Creating and editing milestones (decision 41); each inside the request's one transaction. */

type Trx = Transaction<Database>;

/** A real calendar day: the schema checks the shape, this the day (no 2026-02-30). */
function requireCalendarDay(field: string, value: string | null | undefined) {
  if (!value) return;
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw invalidField(field, `${value} is not a calendar day. Use YYYY-MM-DD, e.g. 2026-12-31.`);
  }
}

function requireDateOrder(startDate: string | null, dueDate: string | null) {
  if (startDate && dueDate && startDate > dueDate) {
    throw new InvalidDataError(
      `The due date ${dueDate} is before the start date ${startDate}. Pick a due date on or after the start.`,
      {
        due_date: [`Must be on or after the start date ${startDate}.`],
      },
    );
  }
}

const uniqueTags = (tags: readonly string[]) => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];

export async function createFromBody(trx: Trx, userId: number, projectId: number, body: CreateMilestone) {
  requireCalendarDay("start_date", body.start_date);
  requireCalendarDay("due_date", body.due_date);
  requireDateOrder(body.start_date ?? null, body.due_date ?? null);
  return createMilestone(trx, userId, projectId, {
    name: body.name.trim() || body.name,
    note: body.note ?? null,
    startDate: body.start_date ?? null,
    dueDate: body.due_date ?? null,
    automationTags: body.automation_tags ?? [],
    started: body.is_started ?? false,
  });
}

export async function updateFromBody(trx: Trx, userId: number, row: MilestoneRow, body: UpdateMilestone) {
  requireCalendarDay("start_date", body.start_date);
  requireCalendarDay("due_date", body.due_date);
  const startDate = body.start_date === undefined ? row.start_date : body.start_date;
  const dueDate = body.due_date === undefined ? row.due_date : body.due_date;
  requireDateOrder(startDate, dueDate);
  const now = new Date().toISOString();
  const set: Record<string, unknown> = { updated_at: now, updated_by: userId };
  if (body.name !== undefined) set.name = body.name;
  if (body.note !== undefined) set.note = body.note;
  if (body.start_date !== undefined) set.start_date = body.start_date;
  if (body.due_date !== undefined) set.due_date = body.due_date;
  if (body.automation_tags !== undefined) set.automation_tags = JSON.stringify(uniqueTags(body.automation_tags));
  if (body.is_started !== undefined) {
    set.is_started = body.is_started ? 1 : 0;
    set.started_at = body.is_started ? (row.started_at ?? now) : null;
  }
  if (body.is_completed !== undefined) {
    set.is_completed = body.is_completed ? 1 : 0;
    // Completing keeps the first completion time; reopening clears it.
    set.completed_at = body.is_completed ? (row.completed_at ?? now) : null;
  }
  await trx
    .updateTable("milestones")
    .set(set as never)
    .where("id", "=", row.id)
    .execute();
}
