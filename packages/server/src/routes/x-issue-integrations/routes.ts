import type { CreateIssueIntegration, UpdateIssueIntegration } from "@assay/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { createTracker, deleteTracker, updateTracker } from "../../services/issue-integrations.js";
import { presentTracker } from "./presenter.js";
import { schemas } from "./schema.js";

type TrackerParams = { integration_id: number };

/**
 * `/api/v1/x/issue-integrations…` (administrators): create, edit and delete
 * issue trackers. Reading them is Testmo's `GET /issues/connections`.
 */
export async function xIssueIntegrationRoutes(app: FastifyInstance) {
  const requireAdmin = (request: FastifyRequest, action: string) => request.access.requireAdmin(action);

  app.post<{ Body: CreateIssueIntegration }>(
    "/x/issue-integrations",
    { schema: schemas.create },
    async (request, reply) => {
      requireAdmin(request, "create issue trackers (POST /api/v1/x/issue-integrations)");
      const result = await mutate(app, request, async (trx) => {
        const id = await createTracker(trx, request.body);
        return { status: 201, body: await presentTracker(trx, id) };
      });
      return sendResult(reply, result);
    },
  );

  app.patch<{ Params: TrackerParams; Body: UpdateIssueIntegration }>(
    "/x/issue-integrations/:integration_id",
    { schema: schemas.update },
    async (request, reply) => {
      requireAdmin(request, "change issue trackers (PATCH /api/v1/x/issue-integrations/{id})");
      const { integration_id: id } = request.params;
      const result = await mutate(app, request, async (trx) => {
        await updateTracker(trx, id, request.body);
        return { status: 200, body: await presentTracker(trx, id) };
      });
      return sendResult(reply, result);
    },
  );

  app.delete<{ Params: TrackerParams }>(
    "/x/issue-integrations/:integration_id",
    { schema: schemas.remove },
    async (request, reply) => {
      requireAdmin(request, "delete issue trackers (DELETE /api/v1/x/issue-integrations/{id})");
      const result = await mutate(app, request, async (trx) => {
        await deleteTracker(trx, request.params.integration_id);
        return { status: 204 };
      });
      return sendResult(reply, result);
    },
  );
}
