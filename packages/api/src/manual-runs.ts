import Type, { type Static } from "typebox";
import { Datetime, Id, MAX_INTEGER, NullableId, NullableInteger, NullableString } from "./common.js";
import { Run, RunResult } from "./manual.js";
import { Attachment, IssueInput } from "./repository.js";

/**
 * Assay's manual-run writes (`/api/v1/x/…`, not Testmo's API): creating runs
 * from repository folders, cases or a filter, assigning their tests, adding
 * results (status, comment, elapsed time, issues, screenshots) and closing
 * runs. Testmo's GET /runs and GET /runs/{id}/results read what these write.
 */

/** Tests one run may hold: a run larger than this is better split by folder. */
export const MAX_TESTS_PER_RUN = 5000;
/** Ids of folders, cases or assignees in one request. */
export const MAX_SELECTION_IDS = 1000;
/** Characters of a result's comment. */
export const MAX_RESULT_NOTE = 20_000;
/** The statuses a tester sets with one key: passed, failed, retest, blocked, skipped (Testmo's ids). */
export const MANUAL_STATUS_IDS = { passed: 2, failed: 3, retest: 4, blocked: 5, skipped: 6 } as const;

const RunName = Type.String({ minLength: 1, maxLength: 255 });
const SelectionIds = Type.Array(Id, { maxItems: MAX_SELECTION_IDS });

/** Cases whose name contains `name` (ignoring case) and/or that carry any of `tags`. */
export const ManualRunCaseFilter = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type ManualRunCaseFilter = Static<typeof ManualRunCaseFilter>;

/** `POST /x/projects/{project_id}/runs`: the run's tests are the union of the selected folders, cases and filter. */
export const CreateManualRun = Type.Object(
  {
    name: RunName,
    milestone_id: Type.Optional(NullableId),
    /** an existing configuration of the project … */
    config_id: Type.Optional(NullableId),
    /** … or one found or created by name */
    config_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    /** every case in these folders and their subfolders */
    folder_ids: Type.Optional(SelectionIds),
    case_ids: Type.Optional(SelectionIds),
    case_filter: Type.Optional(ManualRunCaseFilter),
    /** the tests are shared among these users in turn (in folder and case order) */
    assignee_ids: Type.Optional(SelectionIds),
  },
  { additionalProperties: false },
);
export type CreateManualRun = Static<typeof CreateManualRun>;

/** `PATCH /x/runs/{run_id}`: only the fields sent change. */
export const UpdateManualRun = Type.Object(
  {
    name: Type.Optional(RunName),
    milestone_id: Type.Optional(NullableId),
    config_id: Type.Optional(NullableId),
  },
  { additionalProperties: false },
);
export type UpdateManualRun = Static<typeof UpdateManualRun>;

/** `POST /x/runs/{run_id}/assign`: gives tests to one user (null: unassigned). */
export const AssignManualRunTests = Type.Object(
  {
    test_ids: Type.Array(Id, { minItems: 1, maxItems: MAX_TESTS_PER_RUN }),
    assignee_id: NullableId,
  },
  { additionalProperties: false },
);
export type AssignManualRunTests = Static<typeof AssignManualRunTests>;

/** `POST /x/runs/{run_id}/results`: the test's new latest result. */
export const CreateManualRunResult = Type.Object(
  {
    test_id: Id,
    status_id: Type.Integer({ minimum: 1, maximum: 25 }),
    note: Type.Optional(Type.Union([Type.String({ maxLength: MAX_RESULT_NOTE }), Type.Null()])),
    /** µs spent on the test */
    elapsed: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INTEGER })),
    /** existing issue ids or issues by key in a tracker (found or created) */
    issues: Type.Optional(Type.Array(Type.Union([Id, IssueInput]), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type CreateManualRunResult = Static<typeof CreateManualRunResult>;

/** A file attached to a run result (a screenshot, a log); downloaded with the session or a token. */
export const RunResultAttachment = Type.Object({ ...Attachment.properties, result_id: Id });
export type RunResultAttachment = Static<typeof RunResultAttachment>;

/** The latest result of a test, with what the execute page shows of it. */
export const ManualRunTestResult = Type.Object({
  id: Id,
  status_id: Type.Integer({ minimum: 1, maximum: 25 }),
  note: NullableString,
  elapsed: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  issues: Type.Array(Type.Object({ id: Id, display_id: Type.String() })),
  attachments: Type.Array(RunResultAttachment),
  created_at: Datetime,
  created_by: Id,
});
export type ManualRunTestResult = Static<typeof ManualRunTestResult>;

/** One test of a manual run (a repository case as it was when the run was made). */
export const ManualRunTest = Type.Object({
  id: Id,
  run_id: Id,
  case_id: Id,
  name: Type.String(),
  /** the case's folder now (null: the case is gone or at the root) */
  folder_id: NullableId,
  status_id: Type.Integer({ minimum: 1, maximum: 25 }),
  assignee_id: NullableId,
  /** µs */
  estimate: NullableInteger,
  latest_result: Type.Union([ManualRunTestResult, Type.Null()]),
});
export type ManualRunTest = Static<typeof ManualRunTest>;

export const ManualRunTestList = Type.Object({ result: Type.Array(ManualRunTest) });
export type ManualRunTestList = Static<typeof ManualRunTestList>;

export const ManualRunResult = Type.Object({ result: Run });
export type ManualRunResult = Static<typeof ManualRunResult>;

export const CreatedManualRunResult = Type.Object({ result: RunResult, run: Run });
export type CreatedManualRunResult = Static<typeof CreatedManualRunResult>;

export const RunResultAttachmentResult = Type.Object({ result: RunResultAttachment });
export type RunResultAttachmentResult = Static<typeof RunResultAttachmentResult>;

/** A configuration (browser, platform …) of a project, for choosing one when creating a run. */
export const ProjectConfig = Type.Object({ id: Id, name: Type.String() });
export type ProjectConfig = Static<typeof ProjectConfig>;
export const ProjectConfigList = Type.Object({ result: Type.Array(ProjectConfig) });
export type ProjectConfigList = Static<typeof ProjectConfigList>;
