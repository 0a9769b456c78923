import type { Project } from "@assay/api";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { fetchAllPages } from "./pages";

/** Projects the signed-in user can see (shared by the projects page, the project switcher, the tokens page). */
export const projectsQuery = queryOptions({
  queryKey: ["projects"],
  queryFn: ({ signal }) => fetchAllPages<Project>("/projects", {}, { signal }),
  staleTime: 60_000,
});

export function useProjects() {
  return useQuery(projectsQuery);
}

export function projectQuery(projectId: number) {
  return queryOptions({
    queryKey: ["projects", projectId],
    queryFn: async ({ signal }) => (await api.get<{ result: Project }>(`/projects/${projectId}`, { signal })).result,
    staleTime: 60_000,
  });
}

export function useProject(projectId: number | null) {
  return useQuery({ ...projectQuery(projectId ?? 0), enabled: projectId !== null });
}
