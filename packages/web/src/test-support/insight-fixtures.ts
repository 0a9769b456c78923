import type {
  AutomationRun,
  AutomationSource,
  CaseFailureGroup,
  FailureGroup,
  FailureGroupDetail,
  InsightCase,
  Milestone,
  TestHistoryItem,
  TrendDay,
} from "@assay/api";

/** API objects of the test-intelligence pages, for component tests (override what a test is about). */

export function insightCase(overrides: Partial<InsightCase> = {}): InsightCase {
  return {
    id: 45,
    project_id: 1,
    source_id: 2,
    key: "frontende2e4",
    name: "account (flaky) case 4",
    folder: "account",
    status: 2,
    result_count: 30,
    success_count: 21,
    failure_count: 9,
    skipped_count: 0,
    elapsed_average: 1_884_933,
    elapsed_p95: 3_316_000,
    elapsed_change_percent: 52,
    flaky_percent: 62,
    is_flaky: true,
    flaky_reasons: ["flip_rate"],
    recent_outcomes: "PFPPFPPFPPPFPPPFPFPFPPPPPPFPFP",
    last_run_id: 74,
    last_result_at: "2026-11-30T08:02:21.331Z",
    last_failed_at: "2026-11-29T08:02:21.331Z",
    last_passed_at: "2026-11-30T08:02:21.331Z",
    last_failure_group_id: 5,
    quarantine: null,
    created_at: "2026-11-01T08:02:21.331Z",
    ...overrides,
  };
}

export function historyItem(overrides: Partial<TestHistoryItem> = {}): TestHistoryItem {
  return {
    id: 1,
    run_id: 10,
    run_name: "backend #10",
    thread_id: 100,
    status_id: 2,
    status: 2,
    elapsed: 1_000_000,
    message: null,
    failure_group_id: null,
    commit_sha: "0123456789abcdef0123456789abcdef01234567",
    branch: "main",
    created_at: "2026-11-01T10:00:00.000Z",
    ...overrides,
  };
}

export function failureGroup(overrides: Partial<FailureGroup> = {}): FailureGroup {
  return {
    id: 5,
    project_id: 1,
    signature: "bdfd26a08065cb2d",
    type: "java.net.ConnectException",
    message: "Connection refused: localhost/<ip>",
    sample: "Connection refused: localhost/127.0.0.1:59676",
    frames: ["account.Spec.run (accountSpec.java)"],
    occurrence_count: 18,
    test_count: 2,
    run_count: 14,
    first_seen_at: "2026-11-02T08:02:21.331Z",
    last_seen_at: "2026-11-29T08:02:21.331Z",
    first_run_id: 4,
    last_run_id: 72,
    ...overrides,
  };
}

export function caseFailureGroup(overrides: Partial<CaseFailureGroup> = {}): CaseFailureGroup {
  return {
    ...failureGroup(),
    test_occurrence_count: 9,
    test_first_seen_at: "2026-11-02T08:02:21.331Z",
    test_last_seen_at: "2026-11-29T08:02:21.331Z",
    ...overrides,
  };
}

export function failureGroupDetail(overrides: Partial<FailureGroupDetail> = {}): FailureGroupDetail {
  return {
    ...failureGroup(),
    tests: [
      {
        automation_case_id: 45,
        name: "account (flaky) case 4",
        folder: "account",
        occurrence_count: 9,
        first_seen_at: "2026-11-02T08:02:21.331Z",
        last_seen_at: "2026-11-29T08:02:21.331Z",
      },
    ],
    recent_runs: [{ run_id: 72, name: "frontend-e2e #29", occurrence_count: 1, seen_at: "2026-11-29T08:02:21.331Z" }],
    ...overrides,
  };
}

export function source(overrides: Partial<AutomationSource> = {}): AutomationSource {
  return {
    id: 2,
    project_id: 1,
    name: "frontend-e2e",
    status: 3,
    is_retired: false,
    run_count: 30,
    test_count_average: 18,
    elapsed_average: 141_925_867,
    ran_at: "2026-11-30T08:02:21.331Z",
    created_at: "2026-11-01T08:02:21.331Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    retired_at: null,
    retired_by: null,
    ...overrides,
  };
}

export function trendDay(overrides: Partial<TrendDay> = {}): TrendDay {
  return {
    day: new Date().toISOString().slice(0, 10),
    source_id: 2,
    run_count: 2,
    failed_run_count: 1,
    test_count: 40,
    success_count: 36,
    failure_count: 4,
    pass_rate: 90,
    tests_elapsed: 120_000_000,
    wall_elapsed: 90_000_000,
    ...overrides,
  };
}

/** An automation run with its counters (AutomationRun's type does not name them). */
export function automationRun(overrides: Partial<AutomationRun> & Record<string, unknown> = {}): AutomationRun {
  return {
    id: 74,
    project_id: 1,
    source_id: 2,
    name: "frontend-e2e #30",
    status: 2,
    config_id: null,
    milestone_id: null,
    elapsed: 116_172_000,
    is_completed: true,
    artifacts: [],
    fields: [],
    links: [],
    tags: [],
    threads: [],
    untested_count: 0,
    success_count: 17,
    failure_count: 1,
    completed_count: 18,
    total_count: 18,
    thread_count: 1,
    thread_active_count: 0,
    thread_completed_count: 1,
    created_at: "2026-11-30T08:02:21.331Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    completed_at: "2026-11-30T08:04:21.331Z",
    completed_by: 1,
    ...overrides,
  } as AutomationRun;
}

export function milestone(overrides: Partial<Milestone> = {}): Milestone {
  return {
    id: 4,
    project_id: 1,
    root_id: null,
    parent_id: null,
    type_id: 3,
    name: "Sprint 15",
    note: null,
    is_started: true,
    is_completed: false,
    start_date: "2026-11-16",
    due_date: "2026-12-01",
    automation_tags: ["sprint-15"],
    issues: [],
    links: [],
    started_at: "2026-11-15T15:02:21.331Z",
    created_at: "2026-11-15T15:02:21.331Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    completed_at: null,
    ...overrides,
  };
}
