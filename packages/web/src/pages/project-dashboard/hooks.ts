import type { AutomationRun, Milestone, NamedExpand, PageEnvelope } from "@assay/api";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { automationSourcesQuery, failureGroupsQuery, insightCasesQuery, trendsQuery } from "../../api/insights";

/** How many of each the dashboard lists. */
export const RECENT_RUNS = 10;
export const TOP_TESTS = 5;

/** The newest automation runs (15 is the smallest page the API serves; the dashboard shows 10). */
export function recentRunsQuery(projectId: number) {
  return queryOptions({
    queryKey: ["automation-runs", projectId, "recent"],
    queryFn: ({ signal }) =>
      api.get<PageEnvelope<AutomationRun> & { expands: { automation_sources?: NamedExpand[] } }>(
        `/projects/${projectId}/automation/runs`,
        {
          query: { sort: "automation_runs:created_at", order: "desc", per_page: 15, expands: "automation_sources" },
          signal,
        },
      ),
    // running runs change: keep the dashboard current while it is open
    refetchInterval: (query) => (query.state.data?.result.some((run) => !run.is_completed) ? 15_000 : false),
  });
}

export function useRecentRuns(projectId: number) {
  return useQuery(recentRunsQuery(projectId));
}

export function useTrends(projectId: number, days: number, sourceId: number | undefined) {
  return useQuery(trendsQuery(projectId, days, sourceId));
}

export function useFlakiest(projectId: number) {
  return useQuery(
    insightCasesQuery(projectId, { flaky: true, sort: "flaky_percent", order: "desc", page: 1, perPage: 15 }),
  );
}

export function useSlowest(projectId: number) {
  return useQuery(insightCasesQuery(projectId, { sort: "elapsed_average", order: "desc", page: 1, perPage: 15 }));
}

/** The newest failure groups: first seen last. */
export function useNewestFailureGroups(projectId: number) {
  return useQuery(failureGroupsQuery(projectId, { sort: "first_seen_at", order: "desc", page: 1, perPage: 15 }));
}

/** Milestones not completed yet, by due date (soonest first; those without one last). */
export function useOpenMilestones(projectId: number) {
  return useQuery({
    queryKey: ["milestones", projectId, "open"],
    queryFn: async ({ signal }) => {
      const page = await api.get<PageEnvelope<Milestone>>(`/projects/${projectId}/milestones`, {
        query: { is_completed: false, per_page: 100 },
        signal,
      });
      return page.result.slice().sort(byDueDate);
    },
  });
}

function byDueDate(a: Milestone, b: Milestone): number {
  if (a.due_date === b.due_date) return a.id - b.id;
  if (a.due_date === null) return 1;
  if (b.due_date === null) return -1;
  return a.due_date < b.due_date ? -1 : 1;
}

export function useSources(projectId: number) {
  return useQuery(automationSourcesQuery(projectId));
}
