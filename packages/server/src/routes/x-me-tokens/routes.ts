import type { CreateApiToken } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import { hashToken } from "../../lib/tokens.js";
import { createToken } from "../../services/admin.js";
import {
  findOwnToken,
  findTokenByHash,
  listActiveTokens,
  revokeOwnToken,
} from "../../storage/repositories/web-auth.js";
import { presentCreatedToken, presentToken } from "./presenter.js";
import { schemas } from "./schema.js";

/**
 * `/api/v1/x/me/tokens`: every user manages their own API tokens (for CI jobs
 * and scripts). Signed in with a token or the web session; another user's
 * token is a 404, as if it did not exist.
 */
export async function xMeTokenRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  app.get("/x/me/tokens", { schema: schemas.list }, async (request) => ({
    result: (await listActiveTokens(db, request.user.id)).map(presentToken),
  }));

  // Deliberately not through mutate(): an Idempotency-Key replay would have to store the token in clear.
  app.post<{ Body: CreateApiToken }>("/x/me/tokens", { schema: schemas.create }, async (request, reply) => {
    const token = await createToken(db, request.user.id, request.body.name);
    const row = await findTokenByHash(db, hashToken(token));
    return reply.code(201).send(presentCreatedToken(row!, token));
  });

  app.delete<{ Params: { token_id: number } }>(
    "/x/me/tokens/:token_id",
    { schema: schemas.revoke },
    async (request, reply) => {
      const { token_id: tokenId } = request.params;
      const own = await findOwnToken(db, request.user.id, tokenId);
      if (!own) throw new NotFoundError(`You have no API token with the id ${tokenId}.`);
      // Revoking a revoked token again changes nothing and is no error.
      await revokeOwnToken(db, request.user.id, tokenId, new Date().toISOString());
      return reply.code(204).send();
    },
  );
}
