import Type, { type Static } from "typebox";
import { COUNTER_FIELDS } from "./automation.js";
import { Datetime, Id, MAX_INTEGER, NullableDatetime, NullableId, NullableInteger, NullableString } from "./common.js";

/**
 * Manual testing: milestones, manual runs and their results, exploratory
 * sessions (Testmo API v1 §3.7–3.10, §4.3). Durations are microseconds.
 */

const Counters = Object.fromEntries(
  COUNTER_FIELDS.map((name) => [name, Type.Integer({ minimum: 0, maximum: MAX_INTEGER })]),
);
const Ids = Type.Array(Id);

export const MilestoneLink = Type.Object({ name: Type.String(), note: NullableString, url: Type.String() });
export type MilestoneLink = Static<typeof MilestoneLink>;

export const RunLink = Type.Object({ name: Type.String(), note: NullableString, url: Type.String() });
export type RunLink = Static<typeof RunLink>;

export const Milestone = Type.Object({
  id: Id,
  project_id: Id,
  root_id: NullableId,
  parent_id: NullableId,
  type_id: Id,
  name: Type.String(),
  note: NullableString,
  is_started: Type.Boolean(),
  is_completed: Type.Boolean(),
  /** `YYYY-MM-DD` (Open point 12) */
  start_date: NullableString,
  due_date: NullableString,
  automation_tags: Type.Array(Type.String()),
  issues: Ids,
  links: Type.Array(MilestoneLink),
  started_at: NullableDatetime,
  created_at: Datetime,
  created_by: Id,
  updated_at: NullableDatetime,
  updated_by: NullableId,
  completed_at: NullableDatetime,
});
export type Milestone = Static<typeof Milestone>;

export const Run = Type.Object({
  id: Id,
  project_id: Id,
  name: Type.String(),
  config_id: NullableId,
  milestone_id: NullableId,
  state_id: Id,
  forecast: NullableInteger,
  forecast_completed: NullableInteger,
  elapsed: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  is_started: Type.Boolean(),
  is_closed: Type.Boolean(),
  issues: Ids,
  links: Type.Array(RunLink),
  tags: Type.Array(Type.String()),
  ...Counters,
  started_at: NullableDatetime,
  created_at: Datetime,
  created_by: Id,
  updated_at: NullableDatetime,
  updated_by: NullableId,
  closed_at: NullableDatetime,
  closed_by: NullableId,
});
export type Run = Static<typeof Run>;

export const RunResult = Type.Object({
  id: Id,
  project_id: Id,
  run_id: Id,
  test_id: Id,
  case_id: Id,
  status_id: Type.Integer({ minimum: 1, maximum: 25 }),
  is_latest: Type.Boolean(),
  note: NullableString,
  elapsed: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  assignee_id: NullableId,
  issues: Ids,
  created_at: Datetime,
  created_by: Id,
  updated_at: NullableDatetime,
  updated_by: NullableId,
  deleted_at: NullableDatetime,
  deleted_by: NullableId,
});
export type RunResult = Static<typeof RunResult>;

export const Session = Type.Object({
  id: Id,
  project_id: Id,
  template_id: Id,
  name: Type.String(),
  config_id: NullableId,
  milestone_id: NullableId,
  state_id: Id,
  assignee_id: NullableId,
  estimate: NullableInteger,
  forecast: NullableInteger,
  elapsed: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  is_started: Type.Boolean(),
  is_closed: Type.Boolean(),
  issues: Ids,
  tags: Type.Array(Type.String()),
  ...Counters,
  started_at: NullableDatetime,
  created_at: Datetime,
  created_by: Id,
  updated_at: NullableDatetime,
  updated_by: NullableId,
  closed_at: NullableDatetime,
  closed_by: NullableId,
});
export type Session = Static<typeof Session>;

// ---------------------------------------------------------------- expand items (§4.4)

export const MilestoneTypeExpand = Type.Object({ id: Id, name: Type.String(), is_default: Type.Boolean() });
export const StateExpand = Type.Object({ id: Id, name: Type.String(), is_default: Type.Boolean() });
export const MilestoneStatsExpand = Type.Object({ id: Id, ...Counters });
export const FieldValueExpand = Type.Object({ id: Id, name: Type.String(), icon: Type.String(), color: Type.String() });
export const IssueExpand = Type.Object({
  id: Id,
  type: Type.Integer({ minimum: 1, maximum: 4 }),
  display_id: Type.String(),
  external_project_id: NullableInteger,
  external_project_key: NullableString,
});
export type IssueExpand = Static<typeof IssueExpand>;

// ---------------------------------------------------------------- expands, sorts (§4.4, §5.1)

export const MILESTONE_EXPANDS = [
  "issues",
  "milestone_stats",
  "milestone_types",
  "milestones",
  "statuses",
  "users",
] as const;
export const MILESTONE_SORTS = ["milestones:created_at", "milestones:completed_at"] as const;
export const RUN_EXPANDS = ["configs", "issues", "milestones", "states", "statuses", "users"] as const;
export const RUN_SORTS = ["runs:created_at", "runs:closed_at"] as const;
/** The client model's set, `statuses` included (Open point 21). */
export const RUN_RESULT_EXPANDS = ["issues", "users", "statuses"] as const;
export const RUN_RESULT_SORTS = ["run_results:created_at"] as const;
export const SESSION_EXPANDS = [
  "configs",
  "field_values",
  "issues",
  "milestones",
  "states",
  "statuses",
  "templates",
  "users",
] as const;
export const SESSION_SORTS = ["sessions:created_at", "sessions:closed_at"] as const;
