import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

type Db = Kysely<Database>;

export async function findUser(db: Db, id: number) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findGroup(db: Db, id: number) {
  return db.selectFrom("groups").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findRole(db: Db, id: number) {
  return db.selectFrom("roles").selectAll().where("id", "=", id).executeTakeFirst();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;
export type GroupRow = NonNullable<Awaited<ReturnType<typeof findGroup>>>;
export type RoleRow = NonNullable<Awaited<ReturnType<typeof findRole>>>;

/** Group ids per user id, for the given users. */
export async function groupsOfUsers(db: Db, userIds: readonly number[]): Promise<Map<number, number[]>> {
  const byUser = new Map<number, number[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom("group_members")
    .select(["user_id", "group_id"])
    .where("user_id", "in", userIds)
    .orderBy("group_id")
    .execute();
  for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.group_id]);
  return byUser;
}

/** Member user ids per group id, for the given groups. */
export async function membersOfGroups(db: Db, groupIds: readonly number[]): Promise<Map<number, number[]>> {
  const byGroup = new Map<number, number[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await db
    .selectFrom("group_members")
    .select(["user_id", "group_id"])
    .where("group_id", "in", groupIds)
    .orderBy("user_id")
    .execute();
  for (const row of rows) byGroup.set(row.group_id, [...(byGroup.get(row.group_id) ?? []), row.user_id]);
  return byGroup;
}

/** Every active user with the permissions of their global role and their groups: the input of access decisions. */
export async function activeUsersWithRoles(db: Db) {
  const users = await db
    .selectFrom("users as u")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select(["u.id", "u.name", "r.permissions as role_permissions"])
    .where("u.is_active", "=", 1)
    .orderBy("u.id")
    .execute();
  const groups = await groupsOfUsers(
    db,
    users.map((u) => u.id),
  );
  return users.map((u) => ({ ...u, groupIds: groups.get(u.id) ?? [] }));
}
