import type { Group, Role, RoleKey, User } from "@assay/api";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { fetchAllPages } from "../../api/pages";

/**
 * Reads shared by the administration pages (Testmo's lists, which show administrators everyone),
 * and the role keys the `/x` writes take.
 */
export const adminUsersQuery = queryOptions({
  queryKey: ["admin", "users"],
  queryFn: ({ signal }) => fetchAllPages<User>("/users", {}, { signal }),
});

export const adminGroupsQuery = queryOptions({
  queryKey: ["admin", "groups"],
  queryFn: ({ signal }) => fetchAllPages<Group>("/groups", {}, { signal }),
});

export const rolesQuery = queryOptions({
  queryKey: ["admin", "roles"],
  queryFn: ({ signal }) => fetchAllPages<Role>("/roles", {}, { signal }),
  staleTime: 5 * 60_000,
});

export function useAdminUsers() {
  return useQuery(adminUsersQuery);
}

export function useAdminGroups() {
  return useQuery(adminGroupsQuery);
}

export function useRoles() {
  return useQuery(rolesQuery);
}

/** Words for the role keys, as the role selects show them, in role-id order (Assay's four fixed roles, ids 1–4). */
export const ROLE_LABELS: Record<RoleKey, string> = {
  administrator: "Administrator",
  "project-manager": "Project manager",
  tester: "Tester",
  "read-only": "Read-only",
};

/** The role keys in role-id order (the web imports only types from @assay/api, so not its ROLE_KEYS). */
export const ROLE_KEYS = Object.keys(ROLE_LABELS) as RoleKey[];

/** Assay's roles are fixed (roles are read-only), so a role id names its key. */
export function roleKeyOfId(roleId: number): RoleKey | undefined {
  return ROLE_KEYS[roleId - 1];
}

export function isRoleKey(value: string): value is RoleKey {
  return (ROLE_KEYS as readonly string[]).includes(value);
}
