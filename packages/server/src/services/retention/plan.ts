import type { Kysely } from "kysely";
import {
  type ExpiredRun,
  expiredRunsOfSource,
  listPolicies,
  type PolicyRow,
  PROJECT_WIDE,
  projectNames,
  sourcesOfProject,
} from "../../storage/repositories/retention.js";
import type { Database } from "../../storage/schema.js";

/**
 * Which runs expire (docs/analytics.md, "Retention"). A completed run expires
 * when it is older than keep_days (by created_at) or is not among the newest
 * keep_runs completed runs of its source; with both set, either is enough.
 * A source's own policy wins over the project-wide one; without either,
 * everything is kept. Runs still running are never deleted, nor counted.
 */

const DAY_MS = 86_400_000;

export interface SourcePlan {
  projectId: number;
  projectName: string;
  sourceId: number;
  sourceName: string;
  /** the policy that applies: the source's own, or the project-wide one (source_id 0) */
  policy: PolicyRow;
  /** oldest first */
  runs: ExpiredRun[];
}

/** The source's own policy, else the project-wide one, else none. */
export function policyFor(policies: readonly PolicyRow[], sourceId: number): PolicyRow | null {
  return policies.find((p) => p.source_id === sourceId) ?? policies.find((p) => p.source_id === PROJECT_WIDE) ?? null;
}

/** The instant before which keep_days expires a run. */
export function cutoffOf(keepDays: number | null, now: Date): string | null {
  return keepDays === null ? null : new Date(now.getTime() - keepDays * DAY_MS).toISOString();
}

/** Every source with a policy, and its expired runs, project by project. */
export async function planRetention(db: Kysely<Database>, now: Date): Promise<SourcePlan[]> {
  const policies = await listPolicies(db);
  const byProject = new Map<number, PolicyRow[]>();
  for (const policy of policies) {
    const list = byProject.get(policy.project_id);
    if (list) list.push(policy);
    else byProject.set(policy.project_id, [policy]);
  }
  const names = await projectNames(db, [...byProject.keys()]);
  const plans: SourcePlan[] = [];
  for (const [projectId, projectPolicies] of byProject) {
    for (const source of await sourcesOfProject(db, projectId)) {
      const policy = policyFor(projectPolicies, source.id);
      if (!policy) continue;
      const runs = await expiredRunsOfSource(db, source.id, {
        cutoff: cutoffOf(policy.keep_days, now),
        keepRuns: policy.keep_runs,
      });
      plans.push({
        projectId,
        projectName: names.get(projectId) ?? "",
        sourceId: source.id,
        sourceName: source.name,
        policy,
        runs,
      });
    }
  }
  return plans;
}
