import type { CreateAutomationField } from "@assay/api";

/**
 * The commit and branch of a run, from its fields: `assay` adds "Commit" and
 * "Branch" from the CI's environment, and any client can send them. Names
 * are matched without regard to case; the first non-empty value wins.
 */
const COMMIT_NAMES = new Set(["commit", "commit sha", "git commit", "sha", "revision"]);
const BRANCH_NAMES = new Set(["branch", "git branch"]);
const MAX_LENGTH = 250;

export interface Revision {
  commit_sha?: string | null;
  branch?: string | null;
}

/**
 * `{commit_sha, branch}` from run fields. With `onlyGiven` (a run-level
 * append), a value is returned only when a field gives it, so an append of
 * other fields does not erase what the run was created with.
 */
export function revisionOf(fields: readonly CreateAutomationField[], options: { onlyGiven?: boolean } = {}): Revision {
  const commit = namedValue(fields, COMMIT_NAMES);
  const branch = namedValue(fields, BRANCH_NAMES);
  if (options.onlyGiven) {
    return { ...(commit ? { commit_sha: commit } : {}), ...(branch ? { branch } : {}) };
  }
  return { commit_sha: commit, branch };
}

function namedValue(fields: readonly CreateAutomationField[], names: ReadonlySet<string>): string | null {
  for (const field of fields) {
    if (field.type !== 1 || !names.has(field.name.trim().toLowerCase())) continue;
    const value = field.value?.trim();
    if (value) return value.slice(0, MAX_LENGTH);
  }
  return null;
}
