import type { ManualRunTest, Run } from "@assay/api";

/** A manual run as Testmo's GET /runs shows it: `counts` are tests by status id (1 = untested). */
export function manualRun(overrides: Partial<Run> = {}, counts: Record<number, number> = { 1: 4 }): Run {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const fields: Record<string, number> = { untested_count: counts[1] ?? 0 };
  for (let n = 1; n < 25; n++) fields[`status${n}_count`] = counts[n + 1] ?? 0;
  return {
    id: 10,
    project_id: 1,
    name: "Checkout regression",
    config_id: null,
    milestone_id: 5,
    state_id: 1,
    forecast: 600_000_000,
    forecast_completed: 0,
    elapsed: 0,
    is_started: false,
    is_closed: false,
    issues: [],
    links: [],
    tags: [],
    ...fields,
    success_count: counts[2] ?? 0,
    failure_count: counts[3] ?? 0,
    completed_count: total - (counts[1] ?? 0),
    total_count: total,
    started_at: null,
    created_at: "2026-01-02T00:00:00.000Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    closed_at: null,
    closed_by: null,
    ...overrides,
  } as Run;
}

/** A test of a manual run with no result yet. */
export function runTest(overrides: Partial<ManualRunTest> = {}): ManualRunTest {
  return {
    id: 100,
    run_id: 10,
    case_id: 21,
    name: "Pay by card",
    folder_id: 1,
    status_id: 1,
    assignee_id: 1,
    estimate: 60_000_000,
    latest_result: null,
    ...overrides,
  };
}
