import type { ProjectAccess, ProjectAccessResult, RoleKey, SetProjectAccess } from "@assay/api";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";

/** A project's access overrides (`GET /x/projects/{id}/access`). */
export function projectAccessQuery(projectId: number) {
  return queryOptions({
    queryKey: ["admin", "access", projectId],
    queryFn: async ({ signal }): Promise<ProjectAccess> =>
      (await api.get<ProjectAccessResult>(`/x/projects/${projectId}/access`, { signal })).result,
  });
}

export function useProjectAccess(projectId: number | undefined) {
  return useQuery({ ...projectAccessQuery(projectId ?? 0), enabled: projectId !== undefined });
}

/**
 * A select's value for an override: a role key, "none" (no access) or "global" (no override: the
 * global role, or the project default, applies).
 */
export type AccessChoice = RoleKey | "none" | "global";

export function choiceToRole(choice: AccessChoice): SetProjectAccess["role"] {
  return choice === "none" ? null : choice;
}

export function roleToChoice(role: RoleKey | null): AccessChoice {
  return role ?? "none";
}

export type AccessTarget = { user_id: number } | { group_id: number } | { default: true };

/** `PUT /x/projects/{id}/access` for one target. */
export function useSetAccess(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ target, choice }: { target: AccessTarget; choice: AccessChoice }) =>
      api.put<void>(`/x/projects/${projectId}/access`, { ...target, role: choiceToRole(choice) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: projectAccessQuery(projectId).queryKey }),
  });
}
