import { AUTOMATION_SOURCE_EXPANDS } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import { expandNames, pageEnvelope, pageRequest, queryBoolean, sortColumn } from "../../lib/query.js";
import { namedExpand } from "../../services/expands.js";
import { findSource, listSources, type SourceRow, sourceStats } from "../../storage/repositories/automation-sources.js";
import { presentSource } from "./presenter.js";
import { type SourceListQuery, schemas } from "./schema.js";

export async function automationSourceRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  async function present(rows: readonly SourceRow[], expandsParam: string | undefined) {
    const requested = expandNames(expandsParam, AUTOMATION_SOURCE_EXPANDS);
    const stats = await sourceStats(
      db,
      rows.map((r) => r.id),
    );
    const result = rows.map((row) => presentSource(row, stats.get(row.id)));
    const expands: Record<string, unknown[]> = {};
    if (requested.has("users")) {
      expands.users = await namedExpand(
        db,
        "users",
        rows.flatMap((r) => [r.created_by, r.updated_by, r.retired_by]),
      );
    }
    return { result, expands };
  }

  app.get<{ Params: { project_id: number }; Querystring: SourceListQuery }>(
    "/projects/:project_id/automation/sources",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view automation sources");
      const q = request.query;
      expandNames(q.expands, AUTOMATION_SOURCE_EXPANDS);
      const page = pageRequest(q);
      const { total, rows } = await listSources(
        db,
        { projectId, isRetired: queryBoolean(q.is_retired) },
        {
          offset: page.offset,
          limit: page.perPage,
          sort: sortColumn(q.sort, "created_at") as "created_at" | "ran_at" | "retired_at",
          order: q.order ?? "desc",
        },
      );
      const { result, expands } = await present(rows, q.expands);
      return pageEnvelope(page, total, result, expands);
    },
  );

  app.get<{ Params: { automation_source_id: number }; Querystring: { expands?: string } }>(
    "/automation/sources/:automation_source_id",
    { schema: schemas.get },
    async (request) => {
      expandNames(request.query.expands, AUTOMATION_SOURCE_EXPANDS);
      const id = request.params.automation_source_id;
      const source = await findSource(db, id);
      if (!source) throw new NotFoundError(`Automation source ${id} does not exist.`);
      await request.access.requireIn(source.project_id, "view", "view automation sources");
      const { result, expands } = await present([source], request.query.expands);
      return { result: result[0], expands };
    },
  );
}
