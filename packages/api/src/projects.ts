import Type, { type Static } from "typebox";
import { Datetime, Id, MAX_INTEGER, NullableDatetime, NullableId, NullableString } from "./common.js";

const Count = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });

export const Project = Type.Object({
  id: Id,
  name: Type.String(),
  note: NullableString,
  is_completed: Type.Boolean(),
  milestone_count: Count,
  milestone_active_count: Count,
  milestone_completed_count: Count,
  run_count: Count,
  run_active_count: Count,
  run_closed_count: Count,
  session_count: Count,
  session_active_count: Count,
  session_closed_count: Count,
  automation_source_count: Count,
  automation_source_active_count: Count,
  automation_source_retired_count: Count,
  automation_run_count: Count,
  automation_run_active_count: Count,
  automation_run_completed_count: Count,
  created_at: Datetime,
  created_by: Id,
  updated_at: NullableDatetime,
  updated_by: NullableId,
  completed_at: NullableDatetime,
});
export type Project = Static<typeof Project>;

export const PROJECT_EXPANDS = ["users"] as const;
export const PROJECT_SORTS = ["projects:created_at", "projects:completed_at"] as const;

/** `GET /user`: the bare object, not wrapped in `result`. */
export const CurrentUser = Type.Object({
  id: Id,
  name: Type.String(),
  timezone: Type.String(),
  date_format: Type.String(),
  time_format: Type.String(),
});
export type CurrentUser = Static<typeof CurrentUser>;
