import { RUN_EXPANDS } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import {
  csvIds,
  csvNames,
  expandNames,
  pageEnvelope,
  pageRequest,
  queryBoolean,
  queryDatetime,
  sortColumn,
} from "../../lib/query.js";
import { buildExpands, namedExpand, statusesExpand } from "../../services/expands.js";
import {
  defaultableExpand,
  findManualRun,
  issueExpandItems,
  issuesOfRuns,
  linksOfRuns,
  listManualRuns,
  type ManualRunRow,
} from "../../storage/repositories/manual.js";
import { presentManualRuns } from "./presenter.js";
import { type RunListQuery, schemas } from "./schema.js";

export async function runRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  async function present(rows: readonly ManualRunRow[], expandsParam: string | undefined) {
    const requested = expandNames(expandsParam, RUN_EXPANDS);
    const ids = rows.map((r) => r.id);
    const [links, issues] = await Promise.all([linksOfRuns(db, ids), issuesOfRuns(db, ids)]);
    const result = presentManualRuns(ctx.statuses, rows, { links, issues });
    const expands = await buildExpands(requested, rows, {
      configs: (r) =>
        namedExpand(
          db,
          "configs",
          r.map((x) => x.config_id),
        ),
      issues: () =>
        issueExpandItems(
          db,
          issues.map((i) => i.issue_id),
        ),
      milestones: (r) =>
        namedExpand(
          db,
          "milestones",
          r.map((x) => x.milestone_id),
        ),
      states: (r) =>
        defaultableExpand(
          db,
          "states",
          r.map((x) => x.state_id),
        ),
      statuses: () => statusesExpand(ctx),
      users: (r) =>
        namedExpand(
          db,
          "users",
          r.flatMap((x) => [x.created_by, x.updated_by, x.closed_by]),
        ),
    });
    return { result, expands };
  }

  app.get<{ Params: { project_id: number }; Querystring: RunListQuery }>(
    "/projects/:project_id/runs",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view runs");
      const q = request.query;
      expandNames(q.expands, RUN_EXPANDS);
      const page = pageRequest(q);
      const { total, rows } = await listManualRuns(
        db,
        {
          projectId,
          closedAfter: queryDatetime(q.closed_after, "closed_after"),
          closedBefore: queryDatetime(q.closed_before, "closed_before"),
          configIds: csvIds(q.config_id, "config_id"),
          createdAfter: queryDatetime(q.created_after, "created_after"),
          createdBefore: queryDatetime(q.created_before, "created_before"),
          createdBy: csvIds(q.created_by, "created_by"),
          isClosed: queryBoolean(q.is_closed),
          milestoneIds: csvIds(q.milestone_id, "milestone_id"),
          stateIds: csvIds(q.state_id, "state_id"),
          tags: csvNames(q.tags, "tags"),
        },
        sortColumn(q.sort, "created_at"),
        { offset: page.offset, limit: page.perPage, order: q.order ?? "desc" },
      );
      const { result, expands } = await present(rows, q.expands);
      return pageEnvelope(page, total, result, expands);
    },
  );

  app.get<{ Params: { run_id: number }; Querystring: { expands?: string } }>(
    "/runs/:run_id",
    { schema: schemas.get },
    async (request) => {
      expandNames(request.query.expands, RUN_EXPANDS);
      const id = request.params.run_id;
      const run = await findManualRun(db, id);
      if (!run) throw new NotFoundError(`Run ${id} does not exist.`);
      await request.access.requireIn(run.project_id, "view", "view runs");
      const { result, expands } = await present([run], request.query.expands);
      return { result: result[0], expands };
    },
  );
}
