import Type, { type Static } from "typebox";
import { COUNTER_FIELDS } from "./automation.js";
import { Datetime, Id, MAX_INTEGER } from "./common.js";
import { LIMITS } from "./limits.js";

/**
 * Creating, editing and following milestones: Assay's `/api/v1/x` extension
 * (Testmo's API only reads milestones). Dates are `YYYY-MM-DD`.
 */

const Name = Type.String({ minLength: 1, maxLength: LIMITS.string });
const Tag = Type.String({ minLength: 1, maxLength: LIMITS.string });
export const MILESTONE_NOTE_MAX = 65_536;
const Note = Type.Union([Type.String({ maxLength: MILESTONE_NOTE_MAX }), Type.Null()]);
const DateOnly = Type.Union([
  Type.String({ pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description: "YYYY-MM-DD" }),
  Type.Null(),
]);
const Tags = Type.Array(Tag, { maxItems: LIMITS.tags });

export const CreateMilestone = Type.Object({
  name: Name,
  note: Type.Optional(Note),
  start_date: Type.Optional(DateOnly),
  due_date: Type.Optional(DateOnly),
  automation_tags: Type.Optional(Tags),
  is_started: Type.Optional(Type.Boolean()),
});
export type CreateMilestone = Static<typeof CreateMilestone>;

/** Every field is optional; `is_completed` completes (true) or reopens (false) the milestone. */
export const UpdateMilestone = Type.Object({
  name: Type.Optional(Name),
  note: Type.Optional(Note),
  start_date: Type.Optional(DateOnly),
  due_date: Type.Optional(DateOnly),
  automation_tags: Type.Optional(Tags),
  is_started: Type.Optional(Type.Boolean()),
  is_completed: Type.Optional(Type.Boolean()),
});
export type UpdateMilestone = Static<typeof UpdateMilestone>;

const Count = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });
const Counters = Object.fromEntries(COUNTER_FIELDS.map((name) => [name, Count]));

/** One run or session linked to a milestone, with Testmo's counters (as on runs and sessions). */
export const MilestoneProgressItem = Type.Object({
  id: Id,
  name: Type.String(),
  /** closed (runs, sessions) or completed (automation runs) */
  is_done: Type.Boolean(),
  created_at: Datetime,
  /** automation runs only: 1 running, 2 success, 3 failure; null for manual runs and sessions */
  status: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
  tags: Type.Array(Type.String()),
  ...Counters,
});
export type MilestoneProgressItem = Static<typeof MilestoneProgressItem>;

/** At most this many of each kind are listed, newest first; `total` counts them all. */
export const MILESTONE_PROGRESS_ITEMS = 100;

const Group = Type.Object({
  total: Count,
  done: Count,
  items: Type.Array(MilestoneProgressItem),
});

export const MilestoneProgress = Type.Object({
  milestone_id: Id,
  /** per-status counts over everything linked */
  totals: Type.Object(Counters),
  manual_runs: Group,
  sessions: Group,
  automation_runs: Group,
});
export type MilestoneProgress = Static<typeof MilestoneProgress>;
export const MilestoneProgressResult = Type.Object({ result: MilestoneProgress });
