import Type, { type Static } from "typebox";
import { Datetime, Id, MAX_INTEGER, NullableDatetime, NullableId, NullableInteger, NullableString } from "./common.js";
import { LIMITS } from "./limits.js";
import { STATUS_SLOTS } from "./statuses.js";

const ShortString = Type.String({ minLength: 1, maxLength: LIMITS.string });
const Note = Type.String({ maxLength: LIMITS.note });
const Micros = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });

// ---------------------------------------------------------------- request bodies

export const FIELD_TYPES = { string: 1, text: 2, html: 3, console: 4, url: 5 } as const;
export type FieldTypeName = keyof typeof FIELD_TYPES;

export const CreateAutomationArtifact = Type.Object({
  name: ShortString,
  url: ShortString,
  note: Type.Optional(Note),
  mime_type: Type.Optional(Type.String({ maxLength: LIMITS.string })),
  size: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INTEGER })),
});
export type CreateAutomationArtifact = Static<typeof CreateAutomationArtifact>;

export const CreateAutomationField = Type.Object({
  type: Type.Integer({ minimum: 1, maximum: 5 }),
  name: ShortString,
  value: Type.Optional(Type.String({ maxLength: LIMITS.fieldValue })),
  meta: Type.Optional(
    Type.Record(Type.String({ maxLength: LIMITS.string }), Type.String({ maxLength: LIMITS.string })),
  ),
  is_highlight: Type.Optional(Type.Boolean()),
});
export type CreateAutomationField = Static<typeof CreateAutomationField>;

export const CreateAutomationLink = Type.Object({
  name: ShortString,
  url: ShortString,
  note: Type.Optional(Note),
});
export type CreateAutomationLink = Static<typeof CreateAutomationLink>;

const Artifacts = Type.Array(CreateAutomationArtifact, { maxItems: LIMITS.resourcesPerObject });
const Fields = Type.Array(CreateAutomationField, { maxItems: LIMITS.resourcesPerObject });
const Links = Type.Array(CreateAutomationLink, { maxItems: LIMITS.resourcesPerObject });

export const CreateAutomationTest = Type.Object({
  key: Type.String({ minLength: 1, maxLength: LIMITS.key, pattern: "^[a-z0-9]+$" }),
  name: ShortString,
  status: ShortString,
  folder: ShortString,
  elapsed: Type.Optional(Micros),
  file: Type.Optional(Type.String({ maxLength: LIMITS.string })),
  line: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INTEGER })),
  assertions: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INTEGER })),
  artifacts: Type.Optional(Artifacts),
  fields: Type.Optional(Fields),
});
export type CreateAutomationTest = Static<typeof CreateAutomationTest>;

export const CreateAutomationRun = Type.Object({
  name: ShortString,
  source: ShortString,
  config: Type.Optional(ShortString),
  config_id: Type.Optional(Id),
  milestone: Type.Optional(ShortString),
  milestone_id: Type.Optional(Id),
  tags: Type.Optional(Type.Array(ShortString, { maxItems: LIMITS.tags })),
  artifacts: Type.Optional(Artifacts),
  fields: Type.Optional(Fields),
  links: Type.Optional(Links),
});
export type CreateAutomationRun = Static<typeof CreateAutomationRun>;

export const AppendToAutomationRun = Type.Object({
  artifacts: Type.Optional(Artifacts),
  fields: Type.Optional(Fields),
  links: Type.Optional(Links),
});
export type AppendToAutomationRun = Static<typeof AppendToAutomationRun>;

export const CompleteAutomationRun = Type.Object({
  measure_elapsed: Type.Optional(Type.Boolean()),
});
export type CompleteAutomationRun = Static<typeof CompleteAutomationRun>;

export const CreateAutomationRunThread = Type.Object({
  elapsed_observed: Type.Optional(Micros),
  elapsed_computed: Type.Optional(Micros),
  artifacts: Type.Optional(Artifacts),
  fields: Type.Optional(Fields),
});
export type CreateAutomationRunThread = Static<typeof CreateAutomationRunThread>;

export const AppendToAutomationRunThread = Type.Object({
  elapsed_observed: Type.Optional(Micros),
  elapsed_computed: Type.Optional(Micros),
  artifacts: Type.Optional(Artifacts),
  fields: Type.Optional(Fields),
  tests: Type.Optional(Type.Array(CreateAutomationTest, { maxItems: LIMITS.testsPerAppend })),
});
export type AppendToAutomationRunThread = Static<typeof AppendToAutomationRunThread>;

export const CompleteAutomationRunThread = Type.Object({
  elapsed_observed: Type.Optional(Micros),
  elapsed_computed: Type.Optional(Micros),
});
export type CompleteAutomationRunThread = Static<typeof CompleteAutomationRunThread>;

// ---------------------------------------------------------------- response objects

/** `untested_count`, `status1_count` … `status24_count`, success/failure/completed/total. */
export const COUNTER_FIELDS = [
  "untested_count",
  ...Array.from({ length: STATUS_SLOTS - 1 }, (_, i) => `status${i + 1}_count`),
  "success_count",
  "failure_count",
  "completed_count",
  "total_count",
] as const;

const Counters = Object.fromEntries(
  COUNTER_FIELDS.map((name) => [name, Type.Integer({ minimum: 0, maximum: MAX_INTEGER })]),
);

export const AutomationArtifact = Type.Object({
  name: Type.String(),
  note: NullableString,
  url: Type.String(),
  mime_type: NullableString,
  size: NullableInteger,
});
export type AutomationArtifact = Static<typeof AutomationArtifact>;

export const AutomationField = Type.Object({
  type: Type.Integer({ minimum: 1, maximum: 5 }),
  name: Type.String(),
  value: NullableString,
  meta: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  is_highlight: Type.Boolean(),
});
export type AutomationField = Static<typeof AutomationField>;

export const AutomationLink = Type.Object({ name: Type.String(), note: NullableString, url: Type.String() });
export type AutomationLink = Static<typeof AutomationLink>;

export const AutomationRunThread = Type.Object({
  id: Id,
  index: Type.Integer({ minimum: 1 }),
  name: NullableString,
  status: Type.Integer({ minimum: 2, maximum: 4 }),
  elapsed: NullableInteger,
  elapsed_observed: NullableInteger,
  elapsed_computed: NullableInteger,
  is_completed: Type.Boolean(),
  artifacts: Type.Array(AutomationArtifact),
  fields: Type.Array(AutomationField),
  ...Counters,
  created_at: Datetime,
  created_by: Id,
  completed_at: NullableDatetime,
  completed_by: NullableId,
});
export type AutomationRunThread = Static<typeof AutomationRunThread>;

export const AutomationRun = Type.Object({
  id: Id,
  project_id: Id,
  source_id: Id,
  name: Type.String(),
  status: Type.Integer({ minimum: 2, maximum: 4 }),
  config_id: NullableId,
  milestone_id: NullableId,
  elapsed: NullableInteger,
  is_completed: Type.Boolean(),
  artifacts: Type.Array(AutomationArtifact),
  fields: Type.Array(AutomationField),
  links: Type.Array(AutomationLink),
  tags: Type.Array(Type.String()),
  threads: Type.Array(AutomationRunThread),
  ...Counters,
  thread_count: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  thread_active_count: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  thread_completed_count: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  created_at: Datetime,
  created_by: Id,
  updated_at: NullableDatetime,
  updated_by: NullableId,
  completed_at: NullableDatetime,
  completed_by: NullableId,
});
export type AutomationRun = Static<typeof AutomationRun>;

export const AutomationSource = Type.Object({
  id: Id,
  project_id: Id,
  name: Type.String(),
  status: Type.Integer({ minimum: 1, maximum: 3 }),
  is_retired: Type.Boolean(),
  run_count: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  test_count_average: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  elapsed_average: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  ran_at: NullableDatetime,
  created_at: Datetime,
  created_by: Id,
  updated_at: NullableDatetime,
  updated_by: NullableId,
  retired_at: NullableDatetime,
  retired_by: NullableId,
});
export type AutomationSource = Static<typeof AutomationSource>;

// ---------------------------------------------------------------- list queries

export const AUTOMATION_RUN_EXPANDS = ["automation_sources", "configs", "milestones", "statuses", "users"] as const;
export const AUTOMATION_SOURCE_EXPANDS = ["users"] as const;
