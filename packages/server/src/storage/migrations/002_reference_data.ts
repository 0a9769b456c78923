import { DEFAULT_STATUSES } from "@assay/api";
import type { Kysely } from "kysely";
import { DEFAULT_ROLES } from "../../services/permissions.js";
import type { Database } from "../schema.js";

/** Statuses, roles and the milestone type every installation starts with. */
export async function up(db: Kysely<Database>): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto("statuses")
    .values(
      DEFAULT_STATUSES.map((s) => ({
        id: s.id,
        name: s.name,
        system_name: s.system_name,
        color: s.color,
        is_final: s.is_final ? 1 : 0,
        is_untested: s.is_untested ? 1 : 0,
        is_passed: s.is_passed ? 1 : 0,
        is_failed: s.is_failed ? 1 : 0,
        aliases: JSON.stringify(s.aliases),
      })),
    )
    .execute();
  await db
    .insertInto("roles")
    .values(
      DEFAULT_ROLES.map((role) => ({
        name: role.name,
        permissions: role.permissions,
        is_default: role.isDefault ? 1 : 0,
        created_at: now,
        created_by: null,
        updated_at: null,
        updated_by: null,
      })),
    )
    .execute();
  await db
    .insertInto("milestone_types")
    .values([
      { name: "Milestone", is_default: 1 },
      { name: "Release", is_default: 0 },
      { name: "Sprint", is_default: 0 },
    ])
    .execute();
}
