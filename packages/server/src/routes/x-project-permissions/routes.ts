import type { FastifyInstance } from "fastify";
import { presentProjectPermissions } from "./presenter.js";
import { schemas } from "./schema.js";

/**
 * `GET /x/projects/{project_id}/permissions`: the caller's effective permissions in a
 * project. The CLI asks before it runs a test command (may this token upload here?) and
 * the web UI hides what a role cannot do. 404 for an unknown project, 403 without access,
 * exactly as any other read of the project.
 */
export async function xProjectPermissionRoutes(app: FastifyInstance) {
  app.get<{ Params: { project_id: number } }>(
    "/x/projects/:project_id/permissions",
    { schema: schemas.get },
    async (request) => {
      const projectId = request.params.project_id;
      await request.access.requireProject(projectId, "view", "view this project");
      const permissions = (await request.access.permissionsIn([projectId])).get(projectId) ?? 0;
      return { result: presentProjectPermissions(projectId, permissions) };
    },
  );
}
