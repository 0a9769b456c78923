import type { RetentionPolicy } from "@assay/api";
import { type PolicyRow, PROJECT_WIDE } from "../../storage/repositories/retention.js";

/** A stored policy in the API shape: the project-wide one (source_id 0 in storage) has source_id null. */
export function presentPolicy(row: Omit<PolicyRow, "project_id">): RetentionPolicy {
  return {
    source_id: row.source_id === PROJECT_WIDE ? null : row.source_id,
    keep_days: row.keep_days,
    keep_runs: row.keep_runs,
  };
}
