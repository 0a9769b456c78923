import { GROUP_EXPANDS } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { ForbiddenError, NotFoundError } from "../../errors.js";
import { expandNames, pageEnvelope, pageRequest } from "../../lib/query.js";
import { buildExpands, namedExpand } from "../../services/expands.js";
import { Directory } from "../../services/identity.js";
import { findGroup, type GroupRow, membersOfGroups } from "../../storage/repositories/identity.js";
import { presentGroup } from "./presenter.js";
import { type GroupListQuery, schemas } from "./schema.js";

/** `GET /groups`, `GET /groups/{id}`; visibility rules in services/identity.ts (Directory). */
export async function groupRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  async function present(rows: readonly GroupRow[], expandsParam: string | undefined) {
    const requested = expandNames(expandsParam, GROUP_EXPANDS);
    const members = await membersOfGroups(
      db,
      rows.map((r) => r.id),
    );
    const result = rows.map((row) => presentGroup(row, members.get(row.id) ?? []));
    const expands = await buildExpands(requested, result, {
      users: (r) =>
        namedExpand(
          db,
          "users",
          r.flatMap((g) => [...g.members, g.created_by, g.updated_by]),
        ),
    });
    return { result, expands };
  }

  app.get<{ Querystring: GroupListQuery }>("/groups", { schema: schemas.list }, async (request) => {
    const q = request.query;
    expandNames(q.expands, GROUP_EXPANDS);
    const visible = await new Directory(db, request.access).visibleGroupIds();
    const page = pageRequest(q);
    if (visible && visible.size === 0) return pageEnvelope(page, 0, [], {});
    let query = db.selectFrom("groups").selectAll();
    if (visible) query = query.where("id", "in", [...visible]);
    const { count } = await query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .executeTakeFirstOrThrow();
    const rows = await query.orderBy("id").limit(page.perPage).offset(page.offset).execute();
    const { result, expands } = await present(rows, q.expands);
    return pageEnvelope(page, Number(count), result, expands);
  });

  app.get<{ Params: { group_id: number }; Querystring: { expands?: string } }>(
    "/groups/:group_id",
    { schema: schemas.get },
    async (request) => {
      const { group_id: groupId } = request.params;
      expandNames(request.query.expands, GROUP_EXPANDS);
      const row = await findGroup(db, groupId);
      if (!row) throw new NotFoundError(`Group ${groupId} does not exist.`);
      const visible = await new Directory(db, request.access).visibleGroupIds();
      if (visible && !visible.has(groupId)) {
        throw new ForbiddenError(
          `You may not see group ${groupId}: you are not a member and it has no access to a project of yours. Ask an administrator if you need to.`,
        );
      }
      const { result, expands } = await present([row], request.query.expands);
      return { result: result[0], expands };
    },
  );
}
