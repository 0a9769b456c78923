import { USER_EXPANDS } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { ForbiddenError, NotFoundError } from "../../errors.js";
import { expandNames, pageEnvelope, pageRequest } from "../../lib/query.js";
import { buildExpands, namedExpand } from "../../services/expands.js";
import { Directory } from "../../services/identity.js";
import { findUser, groupsOfUsers, type UserRow } from "../../storage/repositories/identity.js";
import { presentUser } from "./presenter.js";
import { schemas, type UserListQuery } from "./schema.js";

/** `GET /users`, `GET /users/{id}`; who sees whom is decided by Directory (services/identity.ts). */
export async function userRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  async function present(rows: readonly UserRow[], expandsParam: string | undefined) {
    const requested = expandNames(expandsParam, USER_EXPANDS);
    const groups = await groupsOfUsers(
      db,
      rows.map((r) => r.id),
    );
    const result = rows.map((row) => presentUser(row, groups.get(row.id) ?? []));
    const expands = await buildExpands(requested, result, {
      groups: (r) =>
        namedExpand(
          db,
          "groups",
          r.flatMap((u) => u.groups),
        ),
      roles: (r) =>
        namedExpand(
          db,
          "roles",
          r.map((u) => u.role_id),
        ),
      users: (r) =>
        namedExpand(
          db,
          "users",
          r.flatMap((u) => [u.created_by, u.updated_by]),
        ),
    });
    return { result, expands };
  }

  app.get<{ Querystring: UserListQuery }>("/users", { schema: schemas.list }, async (request) => {
    const q = request.query;
    expandNames(q.expands, USER_EXPANDS);
    const visible = await new Directory(db, request.access).visibleUserIds();
    let query = db.selectFrom("users").selectAll();
    if (visible) query = query.where("id", "in", [...visible]);
    const page = pageRequest(q);
    const { count } = await query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .executeTakeFirstOrThrow();
    const rows = await query.orderBy("id").limit(page.perPage).offset(page.offset).execute();
    const { result, expands } = await present(rows, q.expands);
    return pageEnvelope(page, Number(count), result, expands);
  });

  app.get<{ Params: { user_id: number }; Querystring: { expands?: string } }>(
    "/users/:user_id",
    { schema: schemas.get },
    async (request) => {
      const { user_id: userId } = request.params;
      expandNames(request.query.expands, USER_EXPANDS);
      const row = await findUser(db, userId);
      if (!row) throw new NotFoundError(`User ${userId} does not exist.`);
      const visible = await new Directory(db, request.access).visibleUserIds();
      if (visible && !visible.has(userId)) {
        throw new ForbiddenError(
          `You may not see user ${userId}: you share no project with them. Ask an administrator if you need to.`,
        );
      }
      const { result, expands } = await present([row], request.query.expands);
      return { result: result[0], expands };
    },
  );
}
