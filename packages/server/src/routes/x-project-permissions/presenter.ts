import { PERMISSION_NAMES, type ProjectPermissions } from "@assay/api";

/** Bit i of the set is PERMISSION_NAMES[i] (services/permissions.ts defines the bits in that order). */
export function presentProjectPermissions(projectId: number, permissions: number): ProjectPermissions {
  const allowed = PERMISSION_NAMES.filter((_, bit) => (permissions & (1 << bit)) !== 0);
  return { project_id: projectId, permissions, allowed };
}
