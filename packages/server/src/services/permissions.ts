/**
 * Role permissions, an integer bit set (Testmo's `Role.permissions`).
 * A user's permissions in a project come from, in order of precedence: a
 * project override for the user, the union of project overrides for the
 * user's groups, the project's default override, then the user's global role.
 * An override without a role means "no access". Administrators see everything.
 */
export const Permission = {
  /** read the project and everything in it */
  view: 1,
  /** create, append to and complete automation runs */
  automation: 2,
  /** add results to manual runs and sessions */
  results: 4,
  /** create, edit and delete repository cases, folders and attachments */
  repository: 8,
  /** manage manual runs, sessions and milestones */
  manageRuns: 16,
  /** project settings and member access */
  manageProject: 32,
  /** the whole installation: users, groups, roles, every project */
  admin: 64,
} as const;

export type PermissionName = keyof typeof Permission;

const all = Object.values(Permission).reduce((a, b) => a | b, 0);

export interface RoleDefinition {
  name: string;
  permissions: number;
  isDefault: boolean;
}

/** Seeded on first start; ids follow this order (1 = Administrator … 4 = Read-only). */
export const DEFAULT_ROLES: readonly RoleDefinition[] = [
  { name: "Administrator", permissions: all, isDefault: false },
  { name: "Project manager", permissions: all & ~Permission.admin, isDefault: false },
  {
    name: "Tester",
    permissions: Permission.view | Permission.automation | Permission.results | Permission.repository,
    isDefault: true,
  },
  { name: "Read-only", permissions: Permission.view, isDefault: false },
];

export const ROLE_IDS = { administrator: 1, projectManager: 2, tester: 3, readOnly: 4 } as const;

export function has(permissions: number, permission: number): boolean {
  return (permissions & permission) === permission;
}

export function isAdmin(rolePermissions: number): boolean {
  return has(rolePermissions, Permission.admin);
}

export interface AccessOverride {
  user_id: number | null;
  group_id: number | null;
  /** null when the override denies access */
  permissions: number | null;
}

/** Effective permissions of a user in one project; 0 means no access at all. */
export function effectivePermissions(
  globalPermissions: number,
  userGroupIds: readonly number[],
  userId: number,
  overrides: readonly AccessOverride[],
): number {
  if (isAdmin(globalPermissions)) return all;
  const forUser = overrides.find((o) => o.user_id === userId);
  if (forUser) return forUser.permissions ?? 0;
  const forGroups = overrides.filter((o) => o.group_id !== null && userGroupIds.includes(o.group_id));
  if (forGroups.length > 0) return forGroups.reduce((acc, o) => acc | (o.permissions ?? 0), 0);
  const projectDefault = overrides.find((o) => o.user_id === null && o.group_id === null);
  if (projectDefault) return projectDefault.permissions ?? 0;
  return globalPermissions;
}
