import type { Role } from "@assay/api";
import type { RoleRow } from "../../storage/repositories/identity.js";

/** A roles row → Testmo's Role; `permissions` is the bit set of services/permissions.ts. */
export function presentRole(row: RoleRow): Role {
  return {
    id: row.id,
    name: row.name,
    permissions: row.permissions,
    is_default: row.is_default === 1,
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
  };
}
