import type { ProjectPermissions } from "@assay/api";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "./client";

export type PermissionName = ProjectPermissions["allowed"][number];

/**
 * The signed-in user's permission names in a project (`GET /x/projects/{id}/permissions`): after user,
 * group and project overrides, as the server will judge each write. Pages hide what a role cannot do;
 * the server still refuses it (403 naming the permission) should a stale answer show a control.
 */
export function projectPermissionsQuery(projectId: number) {
  return queryOptions({
    queryKey: ["projects", projectId, "permissions"],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: ProjectPermissions }>(`/x/projects/${projectId}/permissions`, { signal })).result,
    staleTime: 60_000,
  });
}

/** Whether the user has `permission` in the project; undefined until known (so nothing flashes). */
export function useProjectPermission(projectId: number | undefined, permission: PermissionName): boolean | undefined {
  const permissions = useQuery({ ...projectPermissionsQuery(projectId ?? 0), enabled: projectId !== undefined });
  return permissions.data?.allowed.includes(permission);
}

/** The same, false while unknown: write controls stay hidden until the answer says otherwise. */
export function useCan(projectId: number | undefined, permission: PermissionName): boolean {
  return useProjectPermission(projectId, permission) ?? false;
}
