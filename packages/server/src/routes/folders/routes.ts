import {
  type CreateRepositoryFolders,
  type DeleteRepositoryFolders,
  FOLDER_EXPANDS,
  type UpdateRepositoryFolders,
} from "@assay/api";
import type { FastifyInstance } from "fastify";
import { expandNames, pageEnvelope, pageRequest } from "../../lib/query.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import {
  createFolders,
  deleteFolders,
  foldersOfProject,
  listFolders,
  updateFolders,
} from "../../services/repository.js";
import { removeFilesOfDeletedRows } from "../../storage/files/index.js";
import { presentFolder } from "./presenter.js";
import { type FolderListQuery, schemas } from "./schema.js";

type ProjectId = { project_id: number };

/**
 * Repository folders. Decisions (spec Open points 1, 17, 19): create 201,
 * update 200, delete 204; `sort` accepts `display_order`/`name` bare or as
 * `repository_folders:…`, default `display_order`, order default `desc` like
 * every list; deleting a folder deletes its sub-folders and their cases.
 */
export async function folderRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  app.get<{ Params: ProjectId; Querystring: FolderListQuery }>(
    "/projects/:project_id/folders",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view repository folders");
      const q = request.query;
      const requested = expandNames(q.expands, FOLDER_EXPANDS);
      const page = pageRequest(q);
      const sort = (q.sort?.split(":").at(-1) ?? "display_order") as "display_order" | "name";
      const { total, rows } = await listFolders(
        db,
        { projectId, parentId: q.parent_id, name: q.name },
        { offset: page.offset, limit: page.perPage, sort, order: q.order ?? "desc" },
      );
      const expands: Record<string, unknown[]> = {};
      if (requested.has("folders")) {
        const parents = await foldersOfProject(
          db,
          projectId,
          rows.map((r) => r.parent_id).filter((id): id is number => id !== null),
        );
        expands.folders = parents.sort((a, b) => a.id - b.id).map((f) => ({ id: f.id, name: f.name }));
      }
      return pageEnvelope(page, total, rows.map(presentFolder), expands);
    },
  );

  app.post<{ Params: ProjectId; Body: CreateRepositoryFolders }>(
    "/projects/:project_id/folders",
    { schema: schemas.create },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "repository", "change the case repository");
      const result = await mutate(app, request, async (trx) => {
        const rows = await createFolders(trx, request.user.id, projectId, request.body.folders);
        return { status: 201, body: { result: rows.map(presentFolder) } };
      });
      return sendResult(reply, result);
    },
  );

  app.patch<{ Params: ProjectId; Body: UpdateRepositoryFolders }>(
    "/projects/:project_id/folders",
    { schema: schemas.update },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "repository", "change the case repository");
      const result = await mutate(app, request, async (trx) => ({
        status: 200,
        body: { result: await updateFolders(trx, request.user.id, projectId, request.body) },
      }));
      return sendResult(reply, result);
    },
  );

  app.delete<{ Params: ProjectId; Body: DeleteRepositoryFolders }>(
    "/projects/:project_id/folders",
    { schema: schemas.delete },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "repository", "change the case repository");
      let files: string[] = [];
      const result = await mutate(app, request, async (trx) => {
        files = await deleteFolders(trx, projectId, request.body.ids);
        return { status: 204 };
      });
      await removeFilesOfDeletedRows(ctx.files, request.log, files);
      return sendResult(reply, result);
    },
  );
}
