import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import { pageEnvelope, pageRequest, queryDatetime, sortColumn } from "../../lib/query.js";
import {
  type FailureGroupSort,
  failureGroupRecentRuns,
  failureGroupTests,
  findFailureGroup,
  projectFailureGroups,
} from "../../storage/repositories/insight-runs.js";
import { presentFailureGroup, presentFailureGroupDetail } from "./presenter.js";
import { type FailureGroupListQuery, schemas } from "./schema.js";

/** Tests and runs listed with one failure group. */
const GROUP_TESTS = 100;
const GROUP_RUNS = 20;

export async function xFailureGroupRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  app.get<{ Params: { project_id: number }; Querystring: FailureGroupListQuery }>(
    "/x/projects/:project_id/failure-groups",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view failure groups");
      const q = request.query;
      const page = pageRequest(q);
      const { total, rows } = await projectFailureGroups(
        db,
        { projectId, since: queryDatetime(q.since, "since") },
        {
          offset: page.offset,
          limit: page.perPage,
          sort: sortColumn<FailureGroupSort>(q.sort, "last_seen_at"),
          order: q.order ?? "desc",
        },
      );
      return pageEnvelope(page, total, rows.map(presentFailureGroup));
    },
  );

  app.get<{ Params: { failure_group_id: number } }>(
    "/x/failure-groups/:failure_group_id",
    { schema: schemas.get },
    async (request) => {
      const id = request.params.failure_group_id;
      const group = await findFailureGroup(db, id);
      if (!group) throw new NotFoundError(`Failure group ${id} does not exist.`);
      await request.access.requireIn(group.project_id, "view", "view failure groups");
      const [tests, runs] = await Promise.all([
        failureGroupTests(db, id, GROUP_TESTS),
        failureGroupRecentRuns(db, id, GROUP_RUNS),
      ]);
      return { result: presentFailureGroupDetail(group, tests, runs) };
    },
  );
}
