import type { MoveFolder } from "@assay/api";
import type { Kysely } from "kysely";
import { invalidField } from "../../errors.js";
import type { FolderRow } from "../../services/repository.js";
import type { Database } from "../../storage/schema.js";
import { withSubfolders } from "../x-cases/queries.js";

type Db = Kysely<Database>;

export async function findFolder(db: Db, folderId: number): Promise<FolderRow | undefined> {
  return db.selectFrom("repository_folders").selectAll().where("id", "=", folderId).executeTakeFirst();
}

async function siblings(db: Db, projectId: number, parentId: number | null): Promise<FolderRow[]> {
  let query = db.selectFrom("repository_folders").selectAll().where("project_id", "=", projectId);
  query = parentId === null ? query.where("parent_id", "is", null) : query.where("parent_id", "=", parentId);
  return query.orderBy("display_order").orderBy("id").execute();
}

/** The new parent, checked: in the same project and not the folder itself or below it. */
async function checkParent(db: Db, folder: FolderRow, parentId: number | null): Promise<FolderRow | null> {
  if (parentId === null) return null;
  const parent = await findFolder(db, parentId);
  if (!parent || parent.project_id !== folder.project_id) {
    throw invalidField(
      "parent_id",
      `Folder ${parentId} does not exist in project ${folder.project_id}. Choose one of its folders, or null for the top level.`,
    );
  }
  const moved = await withSubfolders(db, folder.project_id, [folder.id]);
  if (moved.includes(parentId)) {
    throw invalidField(
      "parent_id",
      `Folder "${parent.name}" is the moved folder or inside it: a folder cannot go into itself. Choose a parent outside it.`,
    );
  }
  return parent;
}

/** Sets the depth of every folder below `rootId` from the root's depth. */
async function refreshDepths(db: Db, rootId: number, depth: number): Promise<void> {
  let level = [rootId];
  let current = depth;
  while (level.length > 0) {
    const children = await db.selectFrom("repository_folders").select("id").where("parent_id", "in", level).execute();
    level = children.map((c) => c.id);
    current++;
    if (level.length > 0) {
      await db.updateTable("repository_folders").set({ depth: current }).where("id", "in", level).execute();
    }
  }
}

/**
 * Moves and reorders in one: the folder goes under `parent_id` at `position` (past the end: last), and
 * the new siblings are numbered 1…n in their order. Returns the siblings in that order.
 */
export async function moveFolder(db: Db, userId: number, folder: FolderRow, input: MoveFolder): Promise<FolderRow[]> {
  const parent = await checkParent(db, folder, input.parent_id);
  const others = (await siblings(db, folder.project_id, input.parent_id)).filter((f) => f.id !== folder.id);
  const position = Math.min(input.position, others.length);
  const ordered = [...others.slice(0, position), folder, ...others.slice(position)];
  const now = new Date().toISOString();
  const depth = parent ? parent.depth + 1 : 0;
  await db
    .updateTable("repository_folders")
    .set({ parent_id: input.parent_id, depth, updated_at: now, updated_by: userId })
    .where("id", "=", folder.id)
    .execute();
  for (const [index, sibling] of ordered.entries()) {
    if (sibling.display_order === index + 1 && sibling.id !== folder.id) continue;
    await db
      .updateTable("repository_folders")
      .set({ display_order: index + 1 })
      .where("id", "=", sibling.id)
      .execute();
  }
  if (depth !== folder.depth) await refreshDepths(db, folder.id, depth);
  return siblings(db, folder.project_id, input.parent_id);
}

/** Counts of what a delete of the folder removes with it. */
export async function folderContents(db: Db, folder: FolderRow) {
  const ids = await withSubfolders(db, folder.project_id, [folder.id]);
  const cases = await db
    .selectFrom("repository_cases")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("folder_id", "in", ids)
    .executeTakeFirstOrThrow();
  const attachments = await db
    .selectFrom("case_attachments as a")
    .innerJoin("repository_cases as c", "c.id", "a.case_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("c.folder_id", "in", ids)
    .executeTakeFirstOrThrow();
  return { folder_id: folder.id, folders: ids.length - 1, cases: Number(cases.n), attachments: Number(attachments.n) };
}
