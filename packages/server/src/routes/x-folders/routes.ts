import type { MoveFolder } from "@assay/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { NotFoundError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import type { PermissionName } from "../../services/permissions.js";
import { presentFolder } from "../folders/presenter.js";
import { findFolder, folderContents, moveFolder } from "./queries.js";
import { schemas } from "./schema.js";

type FolderId = { folder_id: number };

/**
 * Folder moves with a position (drag and drop, "Move to…") and what a delete would take with it
 * (`/api/v1/x/`, Assay's extension): Testmo's bulk folder PATCH can change the parent but not the order.
 */
export async function xFolderRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  async function requireFolder(request: FastifyRequest, id: number, permission: PermissionName, action: string) {
    const folder = await findFolder(db, id);
    if (!folder) throw new NotFoundError(`Folder ${id} does not exist.`);
    await request.access.requireIn(folder.project_id, permission, action);
    return folder;
  }

  app.post<{ Params: FolderId; Body: MoveFolder }>(
    "/x/folders/:folder_id/move",
    { schema: schemas.move },
    async (request, reply) => {
      const folder = await requireFolder(request, request.params.folder_id, "repository", "change the case repository");
      const result = await mutate(app, request, async (trx) => {
        const rows = await moveFolder(trx, request.user.id, folder, request.body);
        return { status: 200, body: { result: rows.map(presentFolder) } };
      });
      return sendResult(reply, result);
    },
  );

  app.get<{ Params: FolderId }>("/x/folders/:folder_id/contents", { schema: schemas.contents }, async (request) => {
    const folder = await requireFolder(request, request.params.folder_id, "view", "view repository folders");
    return { result: await folderContents(db, folder) };
  });
}
