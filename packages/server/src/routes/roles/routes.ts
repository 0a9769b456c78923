import { ROLE_EXPANDS } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import { expandNames, pageEnvelope, pageRequest } from "../../lib/query.js";
import { buildExpands, namedExpand } from "../../services/expands.js";
import { findRole, type RoleRow } from "../../storage/repositories/identity.js";
import { presentRole } from "./presenter.js";
import { type RoleListQuery, schemas } from "./schema.js";

/**
 * `GET /roles`, `GET /roles/{id}`. Roles are definitions, not people: every
 * authenticated user may read all of them (they explain `User.role_id`).
 */
export async function roleRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  async function present(rows: readonly RoleRow[], expandsParam: string | undefined) {
    const requested = expandNames(expandsParam, ROLE_EXPANDS);
    const result = rows.map(presentRole);
    const expands = await buildExpands(requested, result, {
      users: (r) =>
        namedExpand(
          db,
          "users",
          r.flatMap((x) => [x.created_by, x.updated_by]),
        ),
    });
    return { result, expands };
  }

  app.get<{ Querystring: RoleListQuery }>("/roles", { schema: schemas.list }, async (request) => {
    const q = request.query;
    expandNames(q.expands, ROLE_EXPANDS);
    const page = pageRequest(q);
    const { count } = await db
      .selectFrom("roles")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .executeTakeFirstOrThrow();
    const rows = await db
      .selectFrom("roles")
      .selectAll()
      .orderBy("id")
      .limit(page.perPage)
      .offset(page.offset)
      .execute();
    const { result, expands } = await present(rows, q.expands);
    return pageEnvelope(page, Number(count), result, expands);
  });

  app.get<{ Params: { role_id: number }; Querystring: { expands?: string } }>(
    "/roles/:role_id",
    { schema: schemas.get },
    async (request) => {
      const { role_id: roleId } = request.params;
      expandNames(request.query.expands, ROLE_EXPANDS);
      const row = await findRole(db, roleId);
      if (!row) throw new NotFoundError(`Role ${roleId} does not exist.`);
      const { result, expands } = await present([row], request.query.expands);
      return { result: result[0], expands };
    },
  );
}
