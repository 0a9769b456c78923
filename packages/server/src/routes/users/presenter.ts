import type { User } from "@assay/api";
import type { UserRow } from "../../storage/repositories/identity.js";

/** A users row and its group ids → Testmo's User. */
export function presentUser(row: UserRow, groups: readonly number[]): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    type: row.type,
    timezone: row.timezone,
    date_format: row.date_format,
    time_format: row.time_format,
    notifications: row.notifications as 1 | 2 | 3,
    tfa_enabled: row.tfa_enabled === 1,
    is_active: row.is_active === 1,
    is_forgotten: row.is_forgotten === 1,
    is_api: row.is_api === 1,
    role_id: row.role_id,
    groups: [...groups],
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
  };
}
