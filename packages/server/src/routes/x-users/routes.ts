import type { UpdateUser } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { updateUser } from "../../services/administration.js";
import { presentUpdatedUser } from "./presenter.js";
import { schemas } from "./schema.js";

/**
 * `PATCH /api/v1/x/users/{id}` (administrators): name, global role, and
 * `is_active`. Deactivating ends the user's web sessions at once and their API
 * tokens fail from the next request; the last active administrator is kept,
 * and nobody deactivates themselves (they would lock themselves out at once).
 */
export async function xUserRoutes(app: FastifyInstance) {
  app.patch<{ Params: { user_id: number }; Body: UpdateUser }>(
    "/x/users/:user_id",
    { schema: schemas.update },
    async (request, reply) => {
      request.access.requireAdmin("change users (PATCH /api/v1/x/users/{id})");
      const { user_id: userId } = request.params;
      const result = await mutate(app, request, async (trx) => {
        await updateUser(trx, app.ctx.storage.dialect, userId, request.body, request.user.id);
        return { status: 200, body: await presentUpdatedUser(trx, userId) };
      });
      return sendResult(reply, result);
    },
  );
}
