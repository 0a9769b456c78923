import { PROJECT_EXPANDS } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { expandNames, pageEnvelope, pageRequest, queryBoolean, sortColumn } from "../../lib/query.js";
import { namedExpand } from "../../services/expands.js";
import { has, Permission } from "../../services/permissions.js";
import { presentProjects } from "./presenter.js";
import { type ProjectListQuery, schemas } from "./schema.js";

export async function projectRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  async function usersExpand(
    requested: Set<string>,
    rows: { created_by: number | null; updated_by: number | null }[],
  ): Promise<Record<string, unknown[]>> {
    if (!requested.has("users")) return {};
    return {
      users: await namedExpand(
        db,
        "users",
        rows.flatMap((r) => [r.created_by, r.updated_by]),
      ),
    };
  }

  app.get<{ Querystring: ProjectListQuery }>("/projects", { schema: schemas.list }, async (request) => {
    const q = request.query;
    const requested = expandNames(q.expands, PROJECT_EXPANDS);
    let query = db.selectFrom("projects").selectAll();
    const completed = queryBoolean(q.is_completed);
    if (completed !== undefined) query = query.where("is_completed", "=", completed ? 1 : 0);
    const order = q.order ?? "desc";
    const all = await query.orderBy(sortColumn(q.sort, "created_at"), order).orderBy("id", order).execute();
    // Visibility depends on per-project overrides, so it is decided here rather than in SQL.
    const permissions = await request.access.permissionsIn(all.map((p) => p.id));
    const visible = all.filter((p) => has(permissions.get(p.id) ?? 0, Permission.view));
    const page = pageRequest(q);
    const rows = visible.slice(page.offset, page.offset + page.perPage);
    return pageEnvelope(page, visible.length, await presentProjects(db, rows), await usersExpand(requested, rows));
  });

  app.get<{ Params: { project_id: number }; Querystring: { expands?: string } }>(
    "/projects/:project_id",
    { schema: schemas.get },
    async (request) => {
      const requested = expandNames(request.query.expands, PROJECT_EXPANDS);
      const project = await request.access.requireProject(request.params.project_id, "view", "view this project");
      const [result] = await presentProjects(db, [project]);
      return { result, expands: await usersExpand(requested, [project]) };
    },
  );

  app.get("/user", { schema: schemas.currentUser }, async (request) => {
    const { id, name, timezone, date_format, time_format } = request.user;
    return { id, name, timezone, date_format, time_format };
  });
}
