import { RUN_RESULT_EXPANDS } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import { csvIds, expandNames, pageEnvelope, pageRequest, queryBoolean, queryDatetime } from "../../lib/query.js";
import { buildExpands, namedExpand, statusesExpand } from "../../services/expands.js";
import { findManualRun, issueExpandItems, issuesOfResults, listRunResults } from "../../storage/repositories/manual.js";
import { presentRunResults } from "./presenter.js";
import { type RunResultListQuery, schemas } from "./schema.js";

export async function runResultRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  app.get<{ Params: { run_id: number }; Querystring: RunResultListQuery }>(
    "/runs/:run_id/results",
    { schema: schemas.list },
    async (request) => {
      const q = request.query;
      const requested = expandNames(q.expands, RUN_RESULT_EXPANDS);
      const runId = request.params.run_id;
      const run = await findManualRun(db, runId);
      if (!run) throw new NotFoundError(`Run ${runId} does not exist.`);
      await request.access.requireIn(run.project_id, "view", "view run results");
      const page = pageRequest(q);
      const { total, rows } = await listRunResults(
        db,
        {
          runId,
          createdAfter: queryDatetime(q.created_after, "created_after"),
          createdBefore: queryDatetime(q.created_before, "created_before"),
          createdBy: csvIds(q.created_by, "created_by"),
          assigneeIds: csvIds(q.assignee_id, "assignee_id"),
          statusIds: csvIds(q.status_id, "status_id"),
          latestOnly: queryBoolean(q.get_latest_result),
        },
        { offset: page.offset, limit: page.perPage, order: q.order ?? "desc" },
      );
      const issues = await issuesOfResults(
        db,
        rows.map((r) => r.id),
      );
      const expands = await buildExpands(requested, rows, {
        issues: () =>
          issueExpandItems(
            db,
            issues.map((i) => i.issue_id),
          ),
        statuses: () => statusesExpand(ctx),
        users: (r) =>
          namedExpand(
            db,
            "users",
            r.flatMap((x) => [x.created_by, x.updated_by, x.assignee_id, x.deleted_by]),
          ),
      });
      return pageEnvelope(page, total, presentRunResults(rows, issues), expands);
    },
  );
}
