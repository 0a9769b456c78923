import Type, { type Static } from "typebox";
import { Datetime, Id, MAX_INTEGER, NullableDatetime, NullableId, NullableInteger, NullableString } from "./common.js";
import { LIMITS } from "./limits.js";
import { Attachment, IssueInput, MAX_RELATIONS_PER_CASE } from "./repository.js";

/**
 * The repository screens' extension (`/api/v1/x/`, not Testmo's API): one case read and saved whole
 * with a conflict check, a searchable case list, the project's templates/states/tags, and folder
 * moves, reorders and delete previews that Testmo's bulk folder PATCH cannot express.
 */

/** Steps of one case; more is a 422 that says so. */
export const MAX_STEPS_PER_CASE = 200;
/** Custom field stored for the steps (the `custom_steps` key, as Testmo's API clients send it). */
export const STEPS_FIELD = "custom_steps";

const Name = Type.String({ minLength: 1, maxLength: LIMITS.string });
const StepText = Type.String({ maxLength: 65_536 });
const Micros = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });

/** One step: what to do and what should happen, plain text (never HTML). */
export const CaseStep = Type.Object({ step: StepText, expected: StepText }, { additionalProperties: false });
export type CaseStep = Static<typeof CaseStep>;

/** An automated test linked to the case, with the status of its latest result (1 neutral, 2 success, 3 failure, 4 running). */
export const CaseAutomationTest = Type.Object({
  automation_case_id: Id,
  source_id: Id,
  source_name: Type.String(),
  key: Type.String(),
  name: Type.String(),
  folder: Type.String(),
  status: Type.Integer({ minimum: 1, maximum: 4 }),
  last_result_at: NullableDatetime,
  last_run_id: NullableId,
});
export type CaseAutomationTest = Static<typeof CaseAutomationTest>;

export const CaseTag = Type.Object({ id: Id, name: Type.String() });
export type CaseTag = Static<typeof CaseTag>;

export const CaseIssue = Type.Object({
  id: Id,
  display_id: Type.String(),
  integration_id: Id,
  connection_project_id: NullableId,
});
export type CaseIssue = Static<typeof CaseIssue>;

/** One case as the editor shows it; `updated_at` is the version to send back with a save. */
export const CaseDetail = Type.Object({
  id: Id,
  project_id: Id,
  key: Type.Integer({ minimum: 1 }),
  name: Type.String(),
  folder_id: NullableId,
  template_id: Id,
  state_id: Id,
  estimate: NullableInteger,
  created_at: Datetime,
  created_by: NullableId,
  updated_at: NullableDatetime,
  updated_by: NullableId,
  /** name of the user who saved last (null: never saved since creation, or the user is gone) */
  updated_by_name: NullableString,
  steps: Type.Array(CaseStep),
  /** the other `custom_*` values, as stored */
  custom_fields: Type.Record(Type.String(), Type.Unknown()),
  tags: Type.Array(CaseTag),
  issues: Type.Array(CaseIssue),
  attachments: Type.Array(Attachment),
  automation: Type.Array(CaseAutomationTest),
});
export type CaseDetail = Static<typeof CaseDetail>;
export const CaseDetailResult = Type.Object({ result: CaseDetail });
export type CaseDetailResult = Static<typeof CaseDetailResult>;

/**
 * A save of one case. `updated_at` is the value the editor loaded: if the case was saved since, the
 * save is a 422 naming `updated_at`, and nothing changes. Omitted fields are left as they are.
 */
export const SaveCase = Type.Object(
  {
    updated_at: NullableDatetime,
    name: Type.Optional(Name),
    folder_id: Type.Optional(NullableId),
    template_id: Type.Optional(Id),
    state_id: Type.Optional(Id),
    estimate: Type.Optional(Type.Union([Micros, Type.Null()])),
    tags: Type.Optional(Type.Array(Name, { maxItems: MAX_RELATIONS_PER_CASE })),
    /** replace: issue ids, or trackers' keys found or created (Testmo's IssueInput) */
    issues: Type.Optional(Type.Array(Type.Union([Id, IssueInput]), { maxItems: MAX_RELATIONS_PER_CASE })),
    steps: Type.Optional(Type.Array(CaseStep, { maxItems: MAX_STEPS_PER_CASE })),
    /** `custom_*` keys to set (merged key by key; null clears a value) */
    custom_fields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type SaveCase = Static<typeof SaveCase>;

/** One row of the repository's case list. */
export const CaseListItem = Type.Object({
  id: Id,
  key: Type.Integer({ minimum: 1 }),
  name: Type.String(),
  folder_id: NullableId,
  template_id: Id,
  state_id: Id,
  tags: Type.Array(CaseTag),
  has_automation: Type.Boolean(),
  updated_at: NullableDatetime,
  created_at: Datetime,
});
export type CaseListItem = Static<typeof CaseListItem>;

export const X_CASE_SORTS = ["key", "name", "updated_at"] as const;

/** What the repository's forms offer: templates, workflow states, the project's tags and custom field names. */
export const RepositoryOptions = Type.Object({
  templates: Type.Array(Type.Object({ id: Id, name: Type.String(), is_default: Type.Boolean() })),
  states: Type.Array(Type.Object({ id: Id, name: Type.String(), is_default: Type.Boolean() })),
  tags: Type.Array(CaseTag),
  /** `custom_*` keys found on the project's cases (without `custom_steps`) */
  custom_fields: Type.Array(Type.String()),
});
export type RepositoryOptions = Static<typeof RepositoryOptions>;
export const RepositoryOptionsResult = Type.Object({ result: RepositoryOptions });
export type RepositoryOptionsResult = Static<typeof RepositoryOptionsResult>;

/** Moves a folder under `parent_id` (null: top level) at `position` among its new siblings (0: first). */
export const MoveFolder = Type.Object(
  {
    parent_id: NullableId,
    position: Type.Integer({ minimum: 0, maximum: 100_000 }),
  },
  { additionalProperties: false },
);
export type MoveFolder = Static<typeof MoveFolder>;

/** What deleting a folder takes with it. */
export const FolderContents = Type.Object({
  folder_id: Id,
  /** every folder below it, at any depth */
  folders: Type.Integer({ minimum: 0 }),
  /** cases in it and in the folders below it */
  cases: Type.Integer({ minimum: 0 }),
  attachments: Type.Integer({ minimum: 0 }),
});
export type FolderContents = Static<typeof FolderContents>;
export const FolderContentsResult = Type.Object({ result: FolderContents });
export type FolderContentsResult = Static<typeof FolderContentsResult>;
