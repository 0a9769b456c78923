import type { CreateMilestone, Milestone, MilestoneProgress, PageEnvelope, UpdateMilestone } from "@assay/api";
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";

export type MilestoneState = "active" | "completed" | "all";
export const MILESTONES_PER_PAGE = 50;

/** Per-status counts of a milestone (`milestone_stats` expand): what its progress bar shows. */
export type MilestoneStats = { id: number } & Record<string, number>;

export function milestonesQuery(projectId: number, state: MilestoneState, page: number) {
  return queryOptions({
    queryKey: ["projects", projectId, "milestones", { state, page }],
    queryFn: ({ signal }) =>
      api.get<PageEnvelope<Milestone> & { expands: { milestone_stats?: MilestoneStats[] } }>(
        `/projects/${projectId}/milestones`,
        {
          query: {
            is_completed: state === "all" ? undefined : state === "completed",
            expands: "milestone_stats",
            page,
            per_page: MILESTONES_PER_PAGE,
          },
          signal,
        },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useMilestones(projectId: number, state: MilestoneState, page: number) {
  return useQuery(milestonesQuery(projectId, state, page));
}

export function milestoneQuery(milestoneId: number) {
  return queryOptions({
    queryKey: ["milestones", milestoneId],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: Milestone }>(`/milestones/${milestoneId}`, { signal })).result,
  });
}

export function milestoneProgressQuery(milestoneId: number) {
  return queryOptions({
    queryKey: ["milestones", milestoneId, "progress"],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: MilestoneProgress }>(`/x/milestones/${milestoneId}/progress`, { signal })).result,
  });
}

export function useSaveMilestone(projectId: number, milestoneId: number | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateMilestone | UpdateMilestone) =>
      milestoneId === null
        ? (await api.post<{ result: Milestone }>(`/x/projects/${projectId}/milestones`, body)).result
        : (await api.patch<{ result: Milestone }>(`/x/milestones/${milestoneId}`, body)).result,
    onSuccess: (milestone) => {
      queryClient.setQueryData(milestoneQuery(milestone.id).queryKey, milestone);
      void queryClient.invalidateQueries({ queryKey: ["projects", projectId, "milestones"] });
    },
  });
}

/** "a, b ,,c" → ["a", "b", "c"] */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}
