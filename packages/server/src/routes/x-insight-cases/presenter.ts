import type { CaseFailureGroup, InsightCase, InsightSettings, Quarantine, TestHistoryItem } from "@assay/api";
import { flakiness } from "../../services/insights/aggregates.js";
import type { StatusCatalog } from "../../services/statuses.js";
import type {
  CaseFailureGroupRow,
  CaseRow,
  HistoryRow,
  QuarantineRow,
} from "../../storage/repositories/insight-cases.js";
import { presentFailureGroup } from "../x-failure-groups/presenter.js";

export function presentQuarantine(row: Omit<QuarantineRow, "case_id">): Quarantine {
  return { reason: row.reason, expires_at: row.expires_at, created_at: row.created_at, created_by: row.created_by };
}

/** A case row → InsightCase; `flaky_reasons` are worked out from its recent outcomes under the project's settings. */
export function presentCase(
  row: CaseRow,
  quarantine: QuarantineRow | undefined,
  settings: InsightSettings,
): InsightCase {
  return {
    id: row.id,
    project_id: row.project_id,
    source_id: row.source_id,
    key: row.key,
    name: row.name,
    folder: row.folder,
    status: row.status,
    result_count: row.result_count,
    success_count: row.success_count,
    failure_count: row.failure_count,
    skipped_count: row.skipped_count,
    elapsed_average: row.elapsed_average,
    elapsed_p95: row.elapsed_p95,
    elapsed_change_percent: row.elapsed_change_percent,
    flaky_percent: row.flaky_percent,
    is_flaky: row.is_flaky === 1,
    flaky_reasons: flakiness(row.recent_outcomes, settings).reasons,
    recent_outcomes: row.recent_outcomes,
    last_run_id: row.last_run_id,
    last_result_at: row.last_result_at,
    last_failed_at: row.last_failed_at,
    last_passed_at: row.last_passed_at,
    last_failure_group_id: row.last_failure_group_id,
    quarantine: quarantine ? presentQuarantine(quarantine) : null,
    created_at: row.created_at,
  };
}

/** The result status ids whose outcome is one of `outcomes`. */
export function statusIdsOf(statuses: StatusCatalog, outcomes: readonly number[]): number[] {
  return statuses.all.filter((s) => outcomes.includes(statuses.outcomeOf(s.id))).map((s) => s.id);
}

export function presentHistoryItem(statuses: StatusCatalog, row: HistoryRow): TestHistoryItem {
  return {
    id: row.id,
    run_id: row.run_id,
    run_name: row.run_name,
    thread_id: row.thread_id,
    status_id: row.status_id,
    status: statuses.outcomeOf(row.status_id),
    elapsed: row.elapsed,
    message: row.message,
    failure_group_id: row.failure_group_id,
    commit_sha: row.commit_sha,
    branch: row.branch,
    created_at: row.created_at,
  };
}

export function presentCaseFailureGroup(row: CaseFailureGroupRow): CaseFailureGroup {
  return {
    ...presentFailureGroup(row),
    test_occurrence_count: row.test_occurrence_count,
    test_first_seen_at: row.test_first_seen_at,
    test_last_seen_at: row.test_last_seen_at,
  };
}
