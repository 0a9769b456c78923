import type { User } from "@assay/api";
import type { Kysely } from "kysely";
import { findUser, groupsOfUsers } from "../../storage/repositories/identity.js";
import type { Database } from "../../storage/schema.js";
import { presentUser } from "../users/presenter.js";

/** The user as Testmo's `GET /users/{id}` shows it, read inside the write's transaction. */
export async function presentUpdatedUser(
  db: Kysely<Database>,
  userId: number,
): Promise<{ result: User; expands: Record<string, never> }> {
  const row = await findUser(db, userId);
  const groups = await groupsOfUsers(db, [userId]);
  return { result: presentUser(row!, groups.get(userId) ?? []), expands: {} };
}
