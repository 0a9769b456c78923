import type { CreateSession, Milestone, PageEnvelope, Session, SessionRecording } from "@assay/api";
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { fetchAllPages } from "../../api/pages";

export type SessionState = "open" | "closed" | "all";
export const SESSIONS_PER_PAGE = 50;

export function sessionsQuery(projectId: number, state: SessionState, page: number) {
  return queryOptions({
    queryKey: ["projects", projectId, "sessions", { state, page }],
    queryFn: ({ signal }) =>
      api.get<PageEnvelope<Session>>(`/projects/${projectId}/sessions`, {
        query: {
          is_closed: state === "all" ? undefined : state === "closed",
          expands: "milestones,users",
          page,
          per_page: SESSIONS_PER_PAGE,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useSessions(projectId: number, state: SessionState, page: number) {
  return useQuery(sessionsQuery(projectId, state, page));
}

/** Open milestones of a project, for pickers (completed ones take no new work). */
export function useOpenMilestones(projectId: number) {
  return useQuery({
    queryKey: ["projects", projectId, "milestones", "open"],
    queryFn: ({ signal }) =>
      fetchAllPages<Milestone>(`/projects/${projectId}/milestones`, { is_completed: false }, { signal }),
  });
}

export function useCreateSession(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateSession) =>
      (await api.post<{ result: SessionRecording }>(`/x/projects/${projectId}/sessions`, body)).result,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["projects", projectId, "sessions"] }),
  });
}
