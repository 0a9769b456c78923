import type { Kysely } from "kysely";
import { activeUsersWithRoles } from "../storage/repositories/identity.js";
import { accessOverrides } from "../storage/repositories/projects.js";
import type { Database } from "../storage/schema.js";
import type { Access } from "./access.js";
import { AdminError, ROLE_NAMES } from "./admin.js";
import { effectivePermissions, has, Permission } from "./permissions.js";

type Db = Kysely<Database>;

/**
 * Who may read the directory (users, groups, roles) — Assay's answer to spec
 * §8 point 26:
 * - administrators see every user and group;
 * - everyone else sees themselves and the users who can view at least one
 *   project they can view (the people they work with), and the groups they
 *   belong to plus the groups that have an access override in a project they
 *   can view;
 * - roles are definitions, not people: every authenticated user sees all of them.
 * Objects that exist but are not visible answer 403, unknown ids 404.
 * `GET /projects/{id}/users` needs the view permission in that project.
 */
export class Directory {
  constructor(
    private readonly db: Db,
    private readonly access: Access,
  ) {}

  /** Ids of active users who can view the project, by the effective-permission rules. */
  async projectMembers(projectIds: readonly number[]): Promise<Set<number>> {
    const [users, overrides] = await Promise.all([activeUsersWithRoles(this.db), accessOverrides(this.db, projectIds)]);
    const members = new Set<number>();
    for (const projectId of projectIds) {
      const list = overrides.get(projectId) ?? [];
      for (const u of users) {
        if (has(effectivePermissions(u.role_permissions, u.groupIds, u.id, list), Permission.view)) members.add(u.id);
      }
    }
    return members;
  }

  /** Ordered ids of active users with access to one project. */
  async projectUsers(projectId: number) {
    const [users, overrides] = await Promise.all([
      activeUsersWithRoles(this.db),
      accessOverrides(this.db, [projectId]),
    ]);
    const list = overrides.get(projectId) ?? [];
    return users
      .filter((u) => has(effectivePermissions(u.role_permissions, u.groupIds, u.id, list), Permission.view))
      .map((u) => ({ id: u.id, name: u.name }));
  }

  /** Project ids the caller can view. */
  async viewableProjects(): Promise<number[]> {
    const all = await this.db.selectFrom("projects").select("id").execute();
    const perms = await this.access.permissionsIn(all.map((p) => p.id));
    return all.map((p) => p.id).filter((id) => has(perms.get(id) ?? 0, Permission.view));
  }

  /** null: every user is visible (administrator). */
  async visibleUserIds(): Promise<Set<number> | null> {
    if (this.access.isAdmin) return null;
    const ids = await this.projectMembers(await this.viewableProjects());
    ids.add(this.access.user.id);
    return ids;
  }

  /** null: every group is visible (administrator). */
  async visibleGroupIds(): Promise<Set<number> | null> {
    if (this.access.isAdmin) return null;
    const ids = new Set<number>();
    const own = await this.db
      .selectFrom("group_members")
      .select("group_id")
      .where("user_id", "=", this.access.user.id)
      .execute();
    for (const row of own) ids.add(row.group_id);
    const projects = await this.viewableProjects();
    if (projects.length > 0) {
      const overrides = await accessOverrides(this.db, projects);
      for (const list of overrides.values()) for (const o of list) if (o.group_id !== null) ids.add(o.group_id);
    }
    return ids;
  }
}

/** Management of groups and project access, shared by `assay-server` and the `/x` extension. */
export async function createGroup(
  db: Db,
  input: { name: string; members?: readonly number[]; createdBy?: number | null },
) {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("groups").select("id").where("name", "=", input.name).executeTakeFirst();
    if (existing) throw new AdminError(`A group named "${input.name}" already exists (id ${existing.id}).`);
    const row = await trx
      .insertInto("groups")
      .values({
        name: input.name,
        created_at: new Date().toISOString(),
        created_by: input.createdBy ?? null,
        updated_at: null,
        updated_by: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (input.members?.length) await addGroupMembers(trx, row.id, input.members);
    return row.id;
  });
}

/** Adds users to a group; users already in it are left as they are. */
export async function addGroupMembers(db: Db, groupId: number, userIds: readonly number[]): Promise<void> {
  const group = await db.selectFrom("groups").select("id").where("id", "=", groupId).executeTakeFirst();
  if (!group) throw new AdminError(`Group ${groupId} does not exist. Create it first (group create).`);
  const unique = [...new Set(userIds)];
  const users = await db.selectFrom("users").select("id").where("id", "in", unique).execute();
  const missing = unique.filter((id) => !users.some((u) => u.id === id));
  if (missing.length > 0) throw new AdminError(`User ${missing.join(", ")} does not exist. Use existing user ids.`);
  const present = await db
    .selectFrom("group_members")
    .select("user_id")
    .where("group_id", "=", groupId)
    .where("user_id", "in", unique)
    .execute();
  const added = unique.filter((id) => !present.some((p) => p.user_id === id));
  if (added.length > 0) {
    await db
      .insertInto("group_members")
      .values(added.map((user_id) => ({ group_id: groupId, user_id })))
      .execute();
  }
}

export type AccessTarget = { userId: number } | { groupId: number } | { projectDefault: true };

/**
 * Sets one project override: a role name grants it, null denies access,
 * "global" removes the override so the next rule applies again.
 */
export async function setAccess(db: Db, projectId: number, target: AccessTarget, role: string | null): Promise<void> {
  const project = await db.selectFrom("projects").select("id").where("id", "=", projectId).executeTakeFirst();
  if (!project) throw new AdminError(`Project ${projectId} does not exist.`);
  const roleId = role === null || role === "global" ? null : ROLE_NAMES[role];
  if (roleId === undefined) {
    throw new AdminError(`Unknown role "${role}". Use one of: ${Object.keys(ROLE_NAMES).join(", ")}, none or global.`);
  }
  if ("userId" in target) {
    const user = await db.selectFrom("users").select("id").where("id", "=", target.userId).executeTakeFirst();
    if (!user) throw new AdminError(`User ${target.userId} does not exist.`);
  }
  if ("groupId" in target) {
    const group = await db.selectFrom("groups").select("id").where("id", "=", target.groupId).executeTakeFirst();
    if (!group) throw new AdminError(`Group ${target.groupId} does not exist.`);
  }
  const userId = "userId" in target ? target.userId : null;
  const groupId = "groupId" in target ? target.groupId : null;
  await db.transaction().execute(async (trx) => {
    let remove = trx.deleteFrom("project_access").where("project_id", "=", projectId);
    remove = userId === null ? remove.where("user_id", "is", null) : remove.where("user_id", "=", userId);
    remove = groupId === null ? remove.where("group_id", "is", null) : remove.where("group_id", "=", groupId);
    await remove.execute();
    if (role !== "global") {
      await trx
        .insertInto("project_access")
        .values({ project_id: projectId, user_id: userId, group_id: groupId, role_id: roleId })
        .execute();
    }
  });
}

export async function findGroupIdByName(db: Db, name: string): Promise<number> {
  const group = await db.selectFrom("groups").select("id").where("name", "=", name).executeTakeFirst();
  if (!group) throw new AdminError(`No group is named "${name}". Create it with: assay-server group create --name`);
  return group.id;
}
