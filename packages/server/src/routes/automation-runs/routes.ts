import {
  type AppendToAutomationRun,
  AUTOMATION_RUN_EXPANDS,
  type CompleteAutomationRun,
  type CreateAutomationRun,
} from "@assay/api";
import type { FastifyInstance } from "fastify";
import { csvIds, csvNames, expandNames, pageEnvelope, pageRequest, queryDatetime } from "../../lib/query.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { appendToRun, completeRun, createRun, requireRun } from "../../services/automation.js";
import { buildExpands, namedExpand, statusesExpand } from "../../services/expands.js";
import { listRuns, type RunRow, resourcesOfRuns, threadsOfRuns } from "../../storage/repositories/automation.js";
import { presentRuns } from "./presenter.js";
import { type RunListQuery, schemas } from "./schema.js";

type RunId = { automation_run_id: number };
type ProjectId = { project_id: number };

export async function automationRunRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  async function present(rows: readonly RunRow[], expandsParam: string | undefined) {
    const requested = expandNames(expandsParam, AUTOMATION_RUN_EXPANDS);
    const ids = rows.map((r) => r.id);
    const [threads, resources] = await Promise.all([threadsOfRuns(db, ids), resourcesOfRuns(db, ids)]);
    const result = presentRuns(ctx.statuses, rows, threads, resources);
    const expands = await buildExpands(requested, rows, {
      automation_sources: (r) =>
        namedExpand(
          db,
          "automation_sources",
          r.map((x) => x.source_id),
        ),
      configs: (r) =>
        namedExpand(
          db,
          "configs",
          r.map((x) => x.config_id),
        ),
      milestones: (r) =>
        namedExpand(
          db,
          "milestones",
          r.map((x) => x.milestone_id),
        ),
      statuses: () => statusesExpand(ctx),
      users: (r) =>
        namedExpand(
          db,
          "users",
          r.flatMap((x) => [x.created_by, x.updated_by, x.completed_by]),
        ),
    });
    return { result, expands };
  }

  app.get<{ Params: ProjectId; Querystring: RunListQuery }>(
    "/projects/:project_id/automation/runs",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view automation runs");
      const q = request.query;
      expandNames(q.expands, AUTOMATION_RUN_EXPANDS);
      const page = pageRequest(q);
      const { total, rows } = await listRuns(
        db,
        {
          projectId,
          configIds: csvIds(q.config_id, "config_id"),
          createdAfter: queryDatetime(q.created_after, "created_after"),
          createdBefore: queryDatetime(q.created_before, "created_before"),
          createdBy: csvIds(q.created_by, "created_by"),
          milestoneIds: csvIds(q.milestone_id, "milestone_id"),
          sourceIds: csvIds(q.source_id, "source_id"),
          statuses: csvIds(q.status, "status"),
          tags: csvNames(q.tags, "tags"),
        },
        { offset: page.offset, limit: page.perPage, order: q.order ?? "desc" },
      );
      const { result, expands } = await present(rows, q.expands);
      return pageEnvelope(page, total, result, expands);
    },
  );

  app.get<{ Params: RunId; Querystring: { expands?: string } }>(
    "/automation/runs/:automation_run_id",
    { schema: schemas.get },
    async (request) => {
      expandNames(request.query.expands, AUTOMATION_RUN_EXPANDS);
      const run = await requireRun(ctx, request.access, request.params.automation_run_id, "view");
      const { result, expands } = await present([run], request.query.expands);
      return { result: result[0], expands };
    },
  );

  app.post<{ Params: ProjectId; Body: CreateAutomationRun }>(
    "/projects/:project_id/automation/runs",
    { schema: schemas.create },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "automation", "submit automation results");
      const result = await mutate(app, request, (trx) => createRun(trx, request.user.id, projectId, request.body));
      return sendResult(reply, result);
    },
  );

  app.post<{ Params: RunId; Body: AppendToAutomationRun }>(
    "/automation/runs/:automation_run_id/append",
    { schema: schemas.append },
    async (request, reply) => {
      const run = await requireRun(ctx, request.access, request.params.automation_run_id, "automation");
      const result = await mutate(app, request, (trx) => appendToRun(trx, request.user.id, run.id, request.body));
      return sendResult(reply, result);
    },
  );

  app.post<{ Params: RunId; Body: CompleteAutomationRun | undefined }>(
    "/automation/runs/:automation_run_id/complete",
    { schema: schemas.complete },
    async (request, reply) => {
      const run = await requireRun(ctx, request.access, request.params.automation_run_id, "automation");
      const result = await mutate(app, request, (trx) =>
        completeRun(ctx.statuses, trx, request.user.id, run.id, request.body ?? {}),
      );
      return sendResult(reply, result);
    },
  );
}
