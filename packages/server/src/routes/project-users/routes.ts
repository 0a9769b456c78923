import type { FastifyInstance } from "fastify";
import { pageEnvelope, pageRequest } from "../../lib/query.js";
import { Directory } from "../../services/identity.js";
import { presentProjectUser } from "./presenter.js";
import { type ProjectUserListQuery, schemas } from "./schema.js";

/**
 * `GET /projects/{id}/users`: active users who can view the project by the
 * effective-permission rules (user override > group overrides > project
 * default > global role). Needs the view permission in the project. No expands.
 */
export async function projectUserRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  app.get<{ Params: { project_id: number }; Querystring: ProjectUserListQuery }>(
    "/projects/:project_id/users",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "see the users of this project");
      const users = await new Directory(db, request.access).projectUsers(projectId);
      const page = pageRequest(request.query);
      const rows = users.slice(page.offset, page.offset + page.perPage);
      return pageEnvelope(page, users.length, rows.map(presentProjectUser));
    },
  );
}
