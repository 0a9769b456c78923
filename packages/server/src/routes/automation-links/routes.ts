import type { AutomationLinkPair, CreateAutomationLinks } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { createLinks } from "./queries.js";
import { schemas } from "./schema.js";

type ProjectId = { project_id: number };

/**
 * Links repository cases to automation cases (Testmo's newer API, spec §7):
 * the same links as a case's `automation_links`. Linking twice is a 204 that
 * changes nothing; in a bulk request one bad pair rejects them all.
 * Permission: "repository", like every change to the case repository.
 */
export async function automationLinkRoutes(app: FastifyInstance) {
  app.post<{ Params: ProjectId; Body: AutomationLinkPair }>(
    "/projects/:project_id/automation-links",
    { schema: schemas.create },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "repository", "change the case repository");
      const result = await mutate(app, request, async (trx) => {
        await createLinks(trx, projectId, [request.body], () => "");
        return { status: 204 };
      });
      return sendResult(reply, result);
    },
  );

  app.post<{ Params: ProjectId; Body: CreateAutomationLinks }>(
    "/projects/:project_id/automation-links/bulk",
    { schema: schemas.bulk },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "repository", "change the case repository");
      const result = await mutate(app, request, async (trx) => {
        await createLinks(trx, projectId, request.body.links, (i) => `links.${i}.`);
        return { status: 204 };
      });
      return sendResult(reply, result);
    },
  );
}
