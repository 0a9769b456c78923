import { MILESTONE_EXPANDS } from "@assay/api";
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
  findMilestone,
  issueExpandItems,
  issuesOfMilestones,
  linksOfMilestones,
  listMilestones,
  type MilestoneRow,
  milestoneCounts,
} from "../../storage/repositories/manual.js";
import { presentCounts } from "../automation-runs/presenter.js";
import { presentMilestones } from "./presenter.js";
import { type MilestoneListQuery, schemas } from "./schema.js";

export async function milestoneRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  async function present(rows: readonly MilestoneRow[], expandsParam: string | undefined) {
    const requested = expandNames(expandsParam, MILESTONE_EXPANDS);
    const ids = rows.map((r) => r.id);
    const [links, issues] = await Promise.all([linksOfMilestones(db, ids), issuesOfMilestones(db, ids)]);
    const result = presentMilestones(rows, { links, issues });
    const expands = await buildExpands(requested, rows, {
      issues: () =>
        issueExpandItems(
          db,
          issues.map((i) => i.issue_id),
        ),
      milestone_stats: async (r) => {
        const counts = await milestoneCounts(
          db,
          r.map((x) => x.id),
        );
        return r.map((x) => ({ id: x.id, ...presentCounts(ctx.statuses, (s) => counts.get(x.id)?.[s] ?? 0) }));
      },
      milestone_types: (r) =>
        defaultableExpand(
          db,
          "milestone_types",
          r.map((x) => x.type_id),
        ),
      milestones: (r) =>
        namedExpand(
          db,
          "milestones",
          r.flatMap((x) => [x.parent_id, x.root_id]),
        ),
      statuses: () => statusesExpand(ctx),
      users: (r) =>
        namedExpand(
          db,
          "users",
          r.flatMap((x) => [x.created_by, x.updated_by]),
        ),
    });
    return { result, expands };
  }

  app.get<{ Params: { project_id: number }; Querystring: MilestoneListQuery }>(
    "/projects/:project_id/milestones",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view milestones");
      const q = request.query;
      expandNames(q.expands, MILESTONE_EXPANDS);
      const page = pageRequest(q);
      const { total, rows } = await listMilestones(
        db,
        ctx.storage.dialect,
        {
          projectId,
          automationTags: csvNames(q.automation_tags, "automation_tags"),
          completedAfter: queryDatetime(q.completed_after, "completed_after"),
          completedBefore: queryDatetime(q.completed_before, "completed_before"),
          createdAfter: queryDatetime(q.created_after, "created_after"),
          createdBefore: queryDatetime(q.created_before, "created_before"),
          createdBy: csvIds(q.created_by, "created_by"),
          isCompleted: queryBoolean(q.is_completed),
          parentIds: csvIds(q.parent_id, "parent_id"),
          rootIds: csvIds(q.root_id, "root_id"),
          typeIds: csvIds(q.type_id, "type_id"),
        },
        sortColumn(q.sort, "created_at"),
        { offset: page.offset, limit: page.perPage, order: q.order ?? "desc" },
      );
      const { result, expands } = await present(rows, q.expands);
      return pageEnvelope(page, total, result, expands);
    },
  );

  app.get<{ Params: { milestone_id: number }; Querystring: { expands?: string } }>(
    "/milestones/:milestone_id",
    { schema: schemas.get },
    async (request) => {
      expandNames(request.query.expands, MILESTONE_EXPANDS);
      const id = request.params.milestone_id;
      const milestone = await findMilestone(db, id);
      if (!milestone) throw new NotFoundError(`Milestone ${id} does not exist.`);
      await request.access.requireIn(milestone.project_id, "view", "view milestones");
      const { result, expands } = await present([milestone], request.query.expands);
      return { result: result[0], expands };
    },
  );
}
