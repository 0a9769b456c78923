import type { ComparedRun, RunComparison } from "@assay/api";
import type { RunComparisonData } from "../../services/insights/comparison.js";
import type { RunRow } from "../../storage/repositories/automation.js";

export function presentComparedRun(run: RunRow): ComparedRun {
  return {
    id: run.id,
    name: run.name,
    source_id: run.source_id,
    config_id: run.config_id,
    commit_sha: run.commit_sha,
    branch: run.branch,
    is_completed: run.is_completed === 1,
    created_at: run.created_at,
  };
}

export function presentComparison(data: RunComparisonData): RunComparison {
  return {
    run: presentComparedRun(data.run),
    baseline: data.baseline ? presentComparedRun(data.baseline) : null,
    baseline_rule: data.rule,
    counts: data.counts,
    failures: data.failures,
    tests: data.tests,
  };
}
