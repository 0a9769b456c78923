import type { Group } from "@assay/api";
import type { GroupRow } from "../../storage/repositories/identity.js";

/** A groups row and its member ids → Testmo's Group. */
export function presentGroup(row: GroupRow, members: readonly number[]): Group {
  return {
    id: row.id,
    name: row.name,
    members: [...members],
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
  };
}
