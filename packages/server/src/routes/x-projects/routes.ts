import type { CreateProject, UpdateProject } from "@assay/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { NotFoundError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { createProject } from "../../services/admin.js";
import { updateProject } from "../../services/administration.js";
import { findProject } from "../../storage/repositories/projects.js";
import { presentAccess, presentProject } from "./presenter.js";
import { schemas } from "./schema.js";

type ProjectParams = { project_id: number };

/**
 * `/api/v1/x/projects…` (administrators): create, rename, archive or reopen a
 * project, and read its access overrides (setting one is x-admin's
 * `PUT /x/projects/{id}/access`).
 */
export async function xProjectRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;
  const requireAdmin = (request: FastifyRequest, action: string) => request.access.requireAdmin(action);

  app.post<{ Body: CreateProject }>("/x/projects", { schema: schemas.create }, async (request, reply) => {
    requireAdmin(request, "create projects (POST /api/v1/x/projects)");
    const { name, note } = request.body;
    const result = await mutate(app, request, async (trx) => {
      const id = await createProject(trx, { name: name.trim(), note: note ?? null, createdBy: request.user.id });
      return { status: 201, body: await presentProject(trx, id) };
    });
    return sendResult(reply, result);
  });

  app.patch<{ Params: ProjectParams; Body: UpdateProject }>(
    "/x/projects/:project_id",
    { schema: schemas.update },
    async (request, reply) => {
      requireAdmin(request, "change projects (PATCH /api/v1/x/projects/{id})");
      const { project_id: projectId } = request.params;
      const result = await mutate(app, request, async (trx) => {
        await updateProject(trx, projectId, request.body, request.user.id);
        return { status: 200, body: await presentProject(trx, projectId) };
      });
      return sendResult(reply, result);
    },
  );

  app.get<{ Params: ProjectParams }>("/x/projects/:project_id/access", { schema: schemas.access }, async (request) => {
    requireAdmin(request, "see a project's access overrides (/api/v1/x/projects/{id}/access)");
    const { project_id: projectId } = request.params;
    if (!(await findProject(db, projectId))) throw new NotFoundError(`Project ${projectId} does not exist.`);
    return presentAccess(db, projectId);
  });
}
