import type { UserApiTokenQuery } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { presentUserToken } from "./presenter.js";
import { schemas } from "./schema.js";

/**
 * `/api/v1/x/tokens` (administrators): every user's active API tokens, and
 * revoking any of them (a leaked CI token, a person who left). Users manage
 * their own under `/x/me/tokens`.
 */
export async function xTokenRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  app.get<{ Querystring: UserApiTokenQuery }>("/x/tokens", { schema: schemas.list }, async (request) => {
    request.access.requireAdmin("see every user's API tokens (/api/v1/x/tokens)");
    let query = db
      .selectFrom("api_tokens as t")
      .innerJoin("users as u", "u.id", "t.user_id")
      .select(["t.id", "t.user_id", "u.name as user_name", "t.name", "t.created_at", "t.last_used_at"])
      .where("t.revoked_at", "is", null);
    if (request.query.user_id !== undefined) query = query.where("t.user_id", "=", request.query.user_id);
    return { result: (await query.orderBy("t.id", "desc").execute()).map(presentUserToken) };
  });

  app.delete<{ Params: { token_id: number } }>(
    "/x/tokens/:token_id",
    { schema: schemas.revoke },
    async (request, reply) => {
      request.access.requireAdmin("revoke other users' API tokens (/api/v1/x/tokens)");
      const { token_id: tokenId } = request.params;
      const result = await mutate(app, request, async (trx) => {
        const token = await trx.selectFrom("api_tokens").select("id").where("id", "=", tokenId).executeTakeFirst();
        if (!token) throw new NotFoundError(`No API token has the id ${tokenId}.`);
        // Revoking a revoked token again changes nothing and is no error, as for one's own tokens.
        await trx
          .updateTable("api_tokens")
          .set({ revoked_at: new Date().toISOString() })
          .where("id", "=", tokenId)
          .where("revoked_at", "is", null)
          .execute();
        return { status: 204 };
      });
      return sendResult(reply, result);
    },
  );
}
