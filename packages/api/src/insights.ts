import Type, { type Static } from "typebox";
import { Datetime, Id, MAX_INTEGER, NullableDatetime, NullableId, NullableInteger, NullableString } from "./common.js";

/**
 * Test intelligence: Assay's own objects under `/api/v1/x/` (docs/analytics.md
 * defines every figure). Testmo's newer automation objects (spec §7) are at the
 * end of this file.
 */

const Count = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });
const Micros = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });
const Percent = Type.Integer({ minimum: 0, maximum: 100 });

/** Status of a test's latest result, and of a result: 1 neutral, 2 success, 3 failure (4 running: never on a test). */
export const TestOutcome = { neutral: 1, success: 2, failure: 3, running: 4 } as const;

export const Quarantine = Type.Object({
  reason: Type.String(),
  expires_at: NullableDatetime,
  created_at: Datetime,
  created_by: NullableId,
});
export type Quarantine = Static<typeof Quarantine>;

export const SetQuarantine = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    expires_at: Type.Optional(Type.Union([Type.String({ format: "date-time" }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type SetQuarantine = Static<typeof SetQuarantine>;

/** A test identity (source + key) and the status of its latest result: the fields both case objects share. */
const TestIdentity = {
  id: Id,
  project_id: Id,
  source_id: Id,
  key: Type.String(),
  name: Type.String(),
  folder: Type.String(),
  status: Type.Integer({ minimum: 1, maximum: 4 }),
};

/** One test identity (source + key) with the aggregates every append keeps current. */
export const InsightCase = Type.Object({
  ...TestIdentity,
  result_count: Count,
  success_count: Count,
  failure_count: Count,
  skipped_count: Count,
  elapsed_average: Micros,
  elapsed_p95: Micros,
  /** median of the last 5 results against the median of the (up to) 25 before them, in percent; null with fewer than 10 timed results */
  elapsed_change_percent: Type.Union([Type.Integer(), Type.Null()]),
  flaky_percent: Percent,
  is_flaky: Type.Boolean(),
  /** why the test is flaky: it both passed and failed on one commit, and/or its flip rate reached the threshold */
  flaky_reasons: Type.Array(Type.Enum(["same_commit", "flip_rate"])),
  /** newest last: "P" passed, "F" failed; lower case where the result contradicted an earlier one on the same commit */
  recent_outcomes: Type.String(),
  last_run_id: NullableId,
  last_result_at: NullableDatetime,
  last_failed_at: NullableDatetime,
  last_passed_at: NullableDatetime,
  last_failure_group_id: NullableId,
  quarantine: Type.Union([Quarantine, Type.Null()]),
  created_at: Datetime,
});
export type InsightCase = Static<typeof InsightCase>;

/** One result in a test's history, newest first. */
export const TestHistoryItem = Type.Object({
  id: Id,
  run_id: Id,
  run_name: Type.String(),
  thread_id: Id,
  status_id: Type.Integer({ minimum: 1 }),
  status: Type.Integer({ minimum: 1, maximum: 3 }),
  elapsed: NullableInteger,
  message: NullableString,
  failure_group_id: NullableId,
  commit_sha: NullableString,
  branch: NullableString,
  created_at: Datetime,
});
export type TestHistoryItem = Static<typeof TestHistoryItem>;

export const FailureGroup = Type.Object({
  id: Id,
  project_id: Id,
  signature: Type.String(),
  type: NullableString,
  /** normalised message: variable parts replaced by placeholders such as <num> */
  message: Type.String(),
  /** first line of the first failure seen, as it was */
  sample: Type.String(),
  frames: Type.Array(Type.String()),
  occurrence_count: Count,
  test_count: Count,
  run_count: Count,
  first_seen_at: Datetime,
  last_seen_at: Datetime,
  first_run_id: Id,
  last_run_id: Id,
});
export type FailureGroup = Static<typeof FailureGroup>;

/** A failure group as seen from one run. */
export const RunFailureGroup = Type.Object({
  ...FailureGroup.properties,
  /** failures of this group in the run */
  run_occurrence_count: Count,
  /** the group was first seen in this run */
  is_new: Type.Boolean(),
});
export type RunFailureGroup = Static<typeof RunFailureGroup>;

export const FailureGroupTest = Type.Object({
  automation_case_id: Id,
  name: Type.String(),
  folder: Type.String(),
  occurrence_count: Count,
  first_seen_at: Datetime,
  last_seen_at: Datetime,
});
export type FailureGroupTest = Static<typeof FailureGroupTest>;

/** A failure group as seen from one test: `GET /x/automation/cases/{id}/failure-groups` item. */
export const CaseFailureGroup = Type.Object({
  ...FailureGroup.properties,
  /** failures of this test in this group */
  test_occurrence_count: Count,
  /** first and latest failure of this test in this group */
  test_first_seen_at: Datetime,
  test_last_seen_at: Datetime,
});
export type CaseFailureGroup = Static<typeof CaseFailureGroup>;

/** A run in which a failure group was seen. */
export const FailureGroupRun = Type.Object({
  run_id: Id,
  name: Type.String(),
  /** failures of the group in that run */
  occurrence_count: Count,
  /** when the group was first seen in that run */
  seen_at: Datetime,
});
export type FailureGroupRun = Static<typeof FailureGroupRun>;

/** `GET /x/failure-groups/{id}`: the group, its tests (most occurrences first, up to 100) and its newest runs (up to 20). */
export const FailureGroupDetail = Type.Object({
  ...FailureGroup.properties,
  tests: Type.Array(FailureGroupTest),
  recent_runs: Type.Array(FailureGroupRun),
});
export type FailureGroupDetail = Static<typeof FailureGroupDetail>;

export const COMPARISON_CATEGORIES = [
  "new_failures",
  "still_failing",
  "fixed",
  "new_tests",
  "gone_tests",
  "slower",
] as const;
export type ComparisonCategory = (typeof COMPARISON_CATEGORIES)[number];

export const ComparedTest = Type.Object({
  automation_case_id: Id,
  name: Type.String(),
  folder: Type.String(),
  /** result status id in the run (null: the test is not in the run) */
  status_id: NullableInteger,
  baseline_status_id: NullableInteger,
  elapsed: NullableInteger,
  baseline_elapsed: NullableInteger,
  message: NullableString,
  failure_group_id: NullableId,
  is_quarantined: Type.Boolean(),
});
export type ComparedTest = Static<typeof ComparedTest>;

export const ComparedRun = Type.Object({
  id: Id,
  name: Type.String(),
  source_id: Id,
  config_id: NullableId,
  commit_sha: NullableString,
  branch: NullableString,
  is_completed: Type.Boolean(),
  created_at: Datetime,
});
export type ComparedRun = Static<typeof ComparedRun>;

const CategoryCounts = Type.Object(
  Object.fromEntries(COMPARISON_CATEGORIES.map((c) => [c, Count])) as Record<ComparisonCategory, typeof Count>,
);

export const RunComparison = Type.Object({
  run: ComparedRun,
  baseline: Type.Union([ComparedRun, Type.Null()]),
  /** how the baseline was chosen: "requested", "same_branch_and_config", "same_source", or "none" */
  baseline_rule: Type.Enum(["requested", "same_branch_and_config", "same_source", "none"]),
  counts: CategoryCounts,
  /** failed tests of the run: all, of quarantined tests, and the rest */
  failures: Type.Object({ total: Count, quarantined: Count, unquarantined: Count }),
  /** up to `limit` tests per category, failures by name, slower by growth */
  tests: Type.Object(
    Object.fromEntries(COMPARISON_CATEGORIES.map((c) => [c, Type.Array(ComparedTest)])) as Record<
      ComparisonCategory,
      ReturnType<typeof Type.Array<typeof ComparedTest>>
    >,
  ),
});
export type RunComparison = Static<typeof RunComparison>;

export const TrendDay = Type.Object({
  /** UTC day, YYYY-MM-DD, of the runs' creation */
  day: Type.String(),
  source_id: Id,
  run_count: Count,
  failed_run_count: Count,
  test_count: Count,
  success_count: Count,
  failure_count: Count,
  /** success ÷ (success + failure) in percent, null without either */
  pass_rate: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()]),
  /** sum of the tests' elapsed (µs) */
  tests_elapsed: Micros,
  /** sum of the completed runs' elapsed (µs) */
  wall_elapsed: Micros,
});
export type TrendDay = Static<typeof TrendDay>;

export const InsightSettings = Type.Object({
  flaky_window: Type.Integer({ minimum: 5, maximum: 100 }),
  flaky_threshold_percent: Type.Integer({ minimum: 1, maximum: 100 }),
  flaky_min_results: Type.Integer({ minimum: 2, maximum: 100 }),
});
export type InsightSettings = Static<typeof InsightSettings>;

export const UpdateInsightSettings = Type.Partial(InsightSettings, { additionalProperties: false });
export type UpdateInsightSettings = Static<typeof UpdateInsightSettings>;

export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = {
  flaky_window: 30,
  flaky_threshold_percent: 10,
  flaky_min_results: 5,
};

export const RetentionPolicy = Type.Object({
  /** null: every source of the project without a policy of its own */
  source_id: NullableId,
  keep_days: Type.Union([Type.Integer({ minimum: 1, maximum: 36_500 }), Type.Null()]),
  keep_runs: Type.Union([Type.Integer({ minimum: 1, maximum: 10_000_000 }), Type.Null()]),
});
export type RetentionPolicy = Static<typeof RetentionPolicy>;

// ---------------------------------------------------------------- Testmo's newer automation API (spec §7)

/** `GET /automation/runs/{id}/tests` item. */
export const AutomationRunTest = Type.Object({
  id: Id,
  project_id: Id,
  automation_run_id: Id,
  automation_run_thread_id: Id,
  automation_case_id: Id,
  repository_case_id: NullableId,
  key: Type.String(),
  name: Type.String(),
  folder: Type.String(),
  /** 1 neutral, 2 success, 3 failure (what the `status_id` filter selects) */
  status: Type.Integer({ minimum: 1, maximum: 4 }),
  /** result status id (2 passed, 3 failed, 6 skipped, …) */
  status_id: Type.Integer({ minimum: 1 }),
  elapsed: NullableInteger,
  file: NullableString,
  line: NullableInteger,
  assertions: NullableInteger,
  message: NullableString,
  failure_group_id: NullableId,
  created_at: Datetime,
});
export type AutomationRunTest = Static<typeof AutomationRunTest>;

/** `GET /projects/{id}/automation/cases` item. */
export const AutomationCase = Type.Object({
  ...TestIdentity,
  elapsed_average: Micros,
  failure_count: Count,
  flaky_percent: Percent,
  result_count: Count,
  /** repository cases linked to this automation case */
  repository_cases: Type.Array(Id),
  last_run_id: NullableId,
  last_result_at: NullableDatetime,
  created_at: Datetime,
});
export type AutomationCase = Static<typeof AutomationCase>;

export const AutomationLinkPair = Type.Object({ case_id: Id, automation_case_id: Id }, { additionalProperties: false });
export type AutomationLinkPair = Static<typeof AutomationLinkPair>;

export const CreateAutomationLinks = Type.Object(
  { links: Type.Array(AutomationLinkPair, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type CreateAutomationLinks = Static<typeof CreateAutomationLinks>;
