import type { CreateMilestone, UpdateMilestone } from "@assay/api";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { NotFoundError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { findMilestone, issuesOfMilestones, linksOfMilestones } from "../../storage/repositories/manual.js";
import type { Database } from "../../storage/schema.js";
import { presentMilestones } from "../milestones/presenter.js";
import { createFromBody, updateFromBody } from "./editing.js";
import { milestoneProgress } from "./progress.js";
import { schemas } from "./schema.js";

type MilestoneParams = { milestone_id: number };

/**
 * `/api/v1/x/…milestones`: writes Testmo's API lacks, and a progress read.
 * Writes need "manageRuns" (project managers), reads "view"; each write runs
 * in one transaction through mutate() (Idempotency-Key replays).
 */
export async function xMilestoneRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  async function presented(id: number, trx: Kysely<Database>) {
    const row = await findMilestone(trx, id);
    if (!row) throw new NotFoundError(`Milestone ${id} does not exist.`);
    const [links, issues] = await Promise.all([linksOfMilestones(trx, [id]), issuesOfMilestones(trx, [id])]);
    return { result: presentMilestones([row], { links, issues })[0] };
  }

  async function milestoneOf(id: number) {
    const row = await findMilestone(db, id);
    if (!row) throw new NotFoundError(`Milestone ${id} does not exist.`);
    return row;
  }

  app.post<{ Params: { project_id: number }; Body: CreateMilestone }>(
    "/x/projects/:project_id/milestones",
    { schema: schemas.create },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "manageRuns", "manage milestones");
      const result = await mutate(app, request, async (trx) => {
        const id = await createFromBody(trx, request.user.id, projectId, request.body);
        return { status: 201, body: await presented(id, trx) };
      });
      return sendResult(reply, result);
    },
  );

  app.patch<{ Params: MilestoneParams; Body: UpdateMilestone }>(
    "/x/milestones/:milestone_id",
    { schema: schemas.update },
    async (request, reply) => {
      const row = await milestoneOf(request.params.milestone_id);
      await request.access.requireIn(row.project_id, "manageRuns", "manage milestones");
      const result = await mutate(app, request, async (trx) => {
        await updateFromBody(trx, request.user.id, row, request.body);
        return { status: 200, body: await presented(row.id, trx) };
      });
      return sendResult(reply, result);
    },
  );

  app.get<{ Params: MilestoneParams }>(
    "/x/milestones/:milestone_id/progress",
    { schema: schemas.progress },
    async (request) => {
      const row = await milestoneOf(request.params.milestone_id);
      await request.access.requireIn(row.project_id, "view", "view milestones");
      return { result: await milestoneProgress(db, ctx.statuses, row.id) };
    },
  );
}
