import type { UpdateGroup } from "@assay/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { deleteGroup, removeGroupMember, renameGroup } from "../../services/administration.js";
import { presentUpdatedGroup } from "./presenter.js";
import { schemas } from "./schema.js";

type GroupParams = { group_id: number };

/**
 * `/api/v1/x/groups/{id}` (administrators): rename, delete, remove a member.
 * Creating groups and adding members are in x-admin.
 */
export async function xGroupRoutes(app: FastifyInstance) {
  const requireAdmin = (request: FastifyRequest) => request.access.requireAdmin("manage groups (/api/v1/x/groups)");

  app.patch<{ Params: GroupParams; Body: UpdateGroup }>(
    "/x/groups/:group_id",
    { schema: schemas.update },
    async (request, reply) => {
      requireAdmin(request);
      const { group_id: groupId } = request.params;
      const result = await mutate(app, request, async (trx) => {
        await renameGroup(trx, groupId, request.body.name, request.user.id);
        return { status: 200, body: await presentUpdatedGroup(trx, groupId) };
      });
      return sendResult(reply, result);
    },
  );

  app.delete<{ Params: GroupParams }>("/x/groups/:group_id", { schema: schemas.remove }, async (request, reply) => {
    requireAdmin(request);
    const result = await mutate(app, request, async (trx) => {
      await deleteGroup(trx, request.params.group_id);
      return { status: 204 };
    });
    return sendResult(reply, result);
  });

  app.delete<{ Params: GroupParams & { user_id: number } }>(
    "/x/groups/:group_id/members/:user_id",
    { schema: schemas.removeMember },
    async (request, reply) => {
      requireAdmin(request);
      const { group_id: groupId, user_id: userId } = request.params;
      const result = await mutate(app, request, async (trx) => {
        await removeGroupMember(trx, groupId, userId);
        return { status: 204 };
      });
      return sendResult(reply, result);
    },
  );
}
