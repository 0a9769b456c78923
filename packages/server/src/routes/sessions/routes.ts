import { SESSION_EXPANDS } from "@assay/api";
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
  findSession,
  issueExpandItems,
  issuesOfSessions,
  listSessions,
  type SessionRow,
} from "../../storage/repositories/manual.js";
import { presentSessions } from "./presenter.js";
import { type SessionListQuery, schemas } from "./schema.js";

export async function sessionRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  async function present(rows: readonly SessionRow[], expandsParam: string | undefined) {
    const requested = expandNames(expandsParam, SESSION_EXPANDS);
    const issues = await issuesOfSessions(
      db,
      rows.map((r) => r.id),
    );
    const result = presentSessions(ctx.statuses, rows, issues);
    const expands = await buildExpands(requested, rows, {
      configs: (r) =>
        namedExpand(
          db,
          "configs",
          r.map((x) => x.config_id),
        ),
      // Sessions carry no custom field values yet: always an empty list.
      field_values: () => [],
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
      templates: (r) =>
        defaultableExpand(
          db,
          "session_templates",
          r.map((x) => x.template_id),
        ),
      users: (r) =>
        namedExpand(
          db,
          "users",
          r.flatMap((x) => [x.created_by, x.updated_by, x.closed_by, x.assignee_id]),
        ),
    });
    return { result, expands };
  }

  app.get<{ Params: { project_id: number }; Querystring: SessionListQuery }>(
    "/projects/:project_id/sessions",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view sessions");
      const q = request.query;
      expandNames(q.expands, SESSION_EXPANDS);
      const page = pageRequest(q);
      const { total, rows } = await listSessions(
        db,
        {
          projectId,
          assigneeIds: csvIds(q.assignee_id, "assignee_id"),
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
          templateIds: csvIds(q.template_id, "template_id"),
        },
        sortColumn(q.sort, "created_at"),
        { offset: page.offset, limit: page.perPage, order: q.order ?? "desc" },
      );
      const { result, expands } = await present(rows, q.expands);
      return pageEnvelope(page, total, result, expands);
    },
  );

  app.get<{ Params: { session_id: number }; Querystring: { expands?: string } }>(
    "/sessions/:session_id",
    { schema: schemas.get },
    async (request) => {
      expandNames(request.query.expands, SESSION_EXPANDS);
      const id = request.params.session_id;
      const session = await findSession(db, id);
      if (!session) throw new NotFoundError(`Session ${id} does not exist.`);
      await request.access.requireIn(session.project_id, "view", "view sessions");
      const { result, expands } = await present([session], request.query.expands);
      return { result: result[0], expands };
    },
  );
}
