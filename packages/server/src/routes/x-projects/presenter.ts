import type { Project, ProjectAccess } from "@assay/api";
import type { Kysely } from "kysely";
import { roleKeyOf } from "../../services/administration.js";
import { findProject } from "../../storage/repositories/projects.js";
import type { Database } from "../../storage/schema.js";
import { presentProjects } from "../projects/presenter.js";

type Db = Kysely<Database>;

/** The project as Testmo's `GET /projects/{id}` shows it, read inside the write's transaction. */
export async function presentProject(
  db: Db,
  projectId: number,
): Promise<{ result: Project; expands: Record<string, never> }> {
  const [result] = await presentProjects(db, [(await findProject(db, projectId))!]);
  return { result: result!, expands: {} };
}

/** The overrides of one project, with the names of their users and groups, by name. */
export async function presentAccess(db: Db, projectId: number): Promise<{ result: ProjectAccess }> {
  const rows = await db
    .selectFrom("project_access as a")
    .leftJoin("users as u", "u.id", "a.user_id")
    .leftJoin("groups as g", "g.id", "a.group_id")
    .select(["a.user_id", "a.group_id", "a.role_id", "u.name as user_name", "g.name as group_name"])
    .where("a.project_id", "=", projectId)
    .execute();
  const access: ProjectAccess = { project_id: projectId, default: null, users: [], groups: [] };
  for (const row of rows) {
    const role = roleKeyOf(row.role_id);
    if (row.user_id !== null) access.users.push({ user_id: row.user_id, name: row.user_name ?? "", role });
    else if (row.group_id !== null) access.groups.push({ group_id: row.group_id, name: row.group_name ?? "", role });
    else access.default = { role };
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  access.users.sort(byName);
  access.groups.sort(byName);
  return { result: access };
}
