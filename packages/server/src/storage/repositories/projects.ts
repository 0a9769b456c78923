import type { Kysely } from "kysely";
import type { AccessOverride } from "../../services/permissions.js";
import type { Database } from "../schema.js";

export async function findProject(db: Kysely<Database>, id: number) {
  return db.selectFrom("projects").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function accessOverrides(
  db: Kysely<Database>,
  projectIds: readonly number[],
): Promise<Map<number, AccessOverride[]>> {
  const byProject = new Map<number, AccessOverride[]>();
  if (projectIds.length === 0) return byProject;
  const rows = await db
    .selectFrom("project_access as a")
    .leftJoin("roles as r", "r.id", "a.role_id")
    .select(["a.project_id", "a.user_id", "a.group_id", "r.permissions"])
    .where("a.project_id", "in", projectIds)
    .execute();
  for (const row of rows) {
    const list = byProject.get(row.project_id) ?? [];
    list.push({ user_id: row.user_id, group_id: row.group_id, permissions: row.permissions });
    byProject.set(row.project_id, list);
  }
  return byProject;
}
