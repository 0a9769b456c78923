import type { Group } from "@assay/api";
import type { Kysely } from "kysely";
import { findGroup, membersOfGroups } from "../../storage/repositories/identity.js";
import type { Database } from "../../storage/schema.js";
import { presentGroup } from "../groups/presenter.js";

/** The group as Testmo's `GET /groups/{id}` shows it, read inside the write's transaction. */
export async function presentUpdatedGroup(
  db: Kysely<Database>,
  groupId: number,
): Promise<{ result: Group; expands: Record<string, never> }> {
  const row = await findGroup(db, groupId);
  const members = await membersOfGroups(db, [groupId]);
  return { result: presentGroup(row!, members.get(groupId) ?? []), expands: {} };
}
