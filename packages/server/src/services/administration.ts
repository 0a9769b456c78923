import type { RoleKey } from "@assay/api";
import type { Kysely } from "kysely";
import { invalidField, NotFoundError } from "../errors.js";
import type { Database } from "../storage/schema.js";
import { ROLE_NAMES } from "./admin.js";
import { isAdmin } from "./permissions.js";

type Db = Kysely<Database>;

/**
 * Administration writes of the `/x` extension (users, groups, projects) that
 * the web UI's Administration pages make. Each function runs inside the
 * caller's transaction, so a rejected request changes nothing; errors are
 * the API's own (404 for unknown ids, 422 naming the field).
 */

const ROLE_KEYS_BY_ID = new Map(Object.entries(ROLE_NAMES).map(([key, id]) => [id, key as RoleKey]));

/** The role key of a role id (null: "no access"). */
export function roleKeyOf(roleId: number | null): RoleKey | null {
  if (roleId === null) return null;
  return ROLE_KEYS_BY_ID.get(roleId) ?? null;
}

export interface UserChanges {
  name?: string;
  role?: RoleKey;
  is_active?: boolean;
}

/**
 * Changes a user's name, global role or whether they may sign in. Deactivating
 * ends every web session of the user; their API tokens fail from the next
 * request (the token lookup requires an active user). The last active
 * administrator can be neither demoted nor deactivated: nobody could undo it.
 */
export async function updateUser(
  trx: Db,
  dialect: "sqlite" | "postgres",
  userId: number,
  changes: UserChanges,
  actorId: number,
): Promise<void> {
  const user = await trx
    .selectFrom("users")
    .select(["id", "role_id", "is_active"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) throw new NotFoundError(`User ${userId} does not exist.`);
  const newRoleId = changes.role === undefined ? user.role_id : ROLE_NAMES[changes.role]!;
  const staysActive = changes.is_active ?? user.is_active === 1;
  const adminRoleIds = await administratorRoleIds(trx);
  const wasActiveAdmin = user.is_active === 1 && adminRoleIds.includes(user.role_id);
  const remainsActiveAdmin = staysActive && adminRoleIds.includes(newRoleId);
  if (wasActiveAdmin && !remainsActiveAdmin) {
    await requireAnotherActiveAdmin(trx, dialect, userId, adminRoleIds, changes);
  }
  // After the last-administrator check, so the last one hears its advice (make another administrator first).
  if (userId === actorId && !staysActive) {
    throw invalidField(
      "is_active",
      `You cannot deactivate your own account (user ${userId}): you would be locked out at once. Ask another administrator to deactivate it.`,
    );
  }
  await trx
    .updateTable("users")
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
      role_id: newRoleId,
      is_active: staysActive ? 1 : 0,
      updated_at: new Date().toISOString(),
      updated_by: actorId,
    })
    .where("id", "=", userId)
    .execute();
  if (!staysActive) await trx.deleteFrom("web_sessions").where("user_id", "=", userId).execute();
}

async function administratorRoleIds(db: Db): Promise<number[]> {
  const roles = await db.selectFrom("roles").select(["id", "permissions"]).execute();
  return roles.filter((role) => isAdmin(role.permissions)).map((role) => role.id);
}

/**
 * On PostgreSQL the active administrators' rows are locked first (in id order), so two administrators
 * demoting each other at the same moment cannot both pass this check: the second waits, then sees
 * the first one's change. SQLite runs one write transaction at a time already.
 */
async function requireAnotherActiveAdmin(
  db: Db,
  dialect: "sqlite" | "postgres",
  userId: number,
  adminRoleIds: number[],
  changes: UserChanges,
) {
  const query = db
    .selectFrom("users")
    .select("id")
    .where("is_active", "=", 1)
    .where("role_id", "in", adminRoleIds)
    .orderBy("id");
  const admins = await (dialect === "postgres" ? query.forUpdate() : query).execute();
  const other = admins.find((admin) => admin.id !== userId);
  if (other) return;
  const field = changes.is_active === false ? "is_active" : "role";
  const what = field === "is_active" ? "deactivated" : "given another role";
  throw invalidField(
    field,
    `User ${userId} is the last active administrator and cannot be ${what}: nobody could administer Assay any more. Make another user an administrator first.`,
  );
}

/** Renames a group; group names are unique. */
export async function renameGroup(trx: Db, groupId: number, name: string, actorId: number): Promise<void> {
  await requireGroup(trx, groupId);
  const clash = await trx
    .selectFrom("groups")
    .select("id")
    .where("name", "=", name.trim())
    .where("id", "!=", groupId)
    .executeTakeFirst();
  if (clash) {
    throw invalidField("name", `A group named "${name.trim()}" already exists (id ${clash.id}). Choose another name.`);
  }
  await trx
    .updateTable("groups")
    .set({ name: name.trim(), updated_at: new Date().toISOString(), updated_by: actorId })
    .where("id", "=", groupId)
    .execute();
}

/** Deletes a group with its memberships and its project access overrides. */
export async function deleteGroup(trx: Db, groupId: number): Promise<void> {
  await requireGroup(trx, groupId);
  await trx.deleteFrom("group_members").where("group_id", "=", groupId).execute();
  await trx.deleteFrom("project_access").where("group_id", "=", groupId).execute();
  await trx.deleteFrom("groups").where("id", "=", groupId).execute();
}

/** Removes one user from a group; a user who is not a member is a 404. */
export async function removeGroupMember(trx: Db, groupId: number, userId: number): Promise<void> {
  await requireGroup(trx, groupId);
  const removed = await trx
    .deleteFrom("group_members")
    .where("group_id", "=", groupId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0)
    throw new NotFoundError(`User ${userId} is not a member of group ${groupId}.`);
}

async function requireGroup(db: Db, groupId: number): Promise<void> {
  const group = await db.selectFrom("groups").select("id").where("id", "=", groupId).executeTakeFirst();
  if (!group) throw new NotFoundError(`Group ${groupId} does not exist.`);
}

export interface ProjectChanges {
  name?: string;
  note?: string | null;
  is_completed?: boolean;
}

/** Renames a project, changes its note, or archives (completes) or reopens it. */
export async function updateProject(trx: Db, projectId: number, changes: ProjectChanges, actorId: number) {
  const project = await trx
    .selectFrom("projects")
    .select(["id", "is_completed", "completed_at"])
    .where("id", "=", projectId)
    .executeTakeFirst();
  if (!project) throw new NotFoundError(`Project ${projectId} does not exist.`);
  const now = new Date().toISOString();
  const completed = changes.is_completed ?? project.is_completed === 1;
  const completedAt = completed ? (project.is_completed === 1 ? project.completed_at : now) : null;
  await trx
    .updateTable("projects")
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
      ...(changes.note === undefined ? {} : { note: changes.note }),
      is_completed: completed ? 1 : 0,
      completed_at: completedAt,
      updated_at: now,
      updated_by: actorId,
    })
    .where("id", "=", projectId)
    .execute();
}
