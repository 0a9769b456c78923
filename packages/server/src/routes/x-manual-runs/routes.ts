import type { AssignManualRunTests, CreateManualRun, UpdateManualRun } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { InvalidDataError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { closeRun, createManualRun } from "../../services/manual-testing.js";
import { findOrCreateConfig } from "../../storage/repositories/automation.js";
import { presentRunById, presentRunTests } from "./presenter.js";
import {
  attachmentsOfRun,
  configsOfProject,
  issuesOfResultIds,
  latestResultsOfRun,
  requireConfigIn,
  requireMilestoneIn,
  requireOpen,
  requireRun,
  testsOfRun,
} from "./queries.js";
import { schemas } from "./schema.js";
import { requireAssignees, selectCases, shareAmong } from "./selection.js";

type RunId = { run_id: number };
type ProjectId = { project_id: number };

/**
 * Manual runs, Assay's extension (Testmo's API only reads them): create a run
 * from repository folders, cases or a filter; rename it or change its
 * milestone and configuration; list and assign its tests; close it. Creating,
 * editing, assigning and closing need "manage_runs" (project managers); reads
 * need "view". A closed run refuses every write with a 422.
 */
export async function xManualRunRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  app.get<{ Params: ProjectId }>("/x/projects/:project_id/configs", { schema: schemas.configs }, async (request) => {
    const { project_id: projectId } = request.params;
    await request.access.requireProject(projectId, "view", "see the configurations of this project");
    return { result: await configsOfProject(db, projectId) };
  });

  app.post<{ Params: ProjectId; Body: CreateManualRun }>(
    "/x/projects/:project_id/runs",
    { schema: schemas.create },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "manageRuns", "create manual runs");
      const body = request.body;
      if (body.config_id != null && body.config_name !== undefined) {
        const message = "Send either config_id (an existing configuration) or config_name, not both.";
        throw new InvalidDataError(message, { config_name: [message] });
      }
      const result = await mutate(app, request, async (trx) => {
        await requireMilestoneIn(trx, projectId, body.milestone_id);
        await requireConfigIn(trx, projectId, body.config_id);
        await requireAssignees(trx, projectId, body.assignee_ids ?? [], "assignee_ids");
        const cases = await selectCases(trx, projectId, body);
        const now = new Date().toISOString();
        const configId =
          body.config_name !== undefined
            ? await findOrCreateConfig(trx, projectId, body.config_name.trim(), request.user.id, now)
            : (body.config_id ?? null);
        const runId = await createManualRun(trx, request.user.id, projectId, {
          name: body.name.trim(),
          milestoneId: body.milestone_id ?? null,
          configId,
          cases: shareAmong(cases, body.assignee_ids ?? []).map(({ item, assigneeId }) => ({
            caseId: item.caseId,
            name: item.name,
            estimate: item.estimate,
            assigneeId,
          })),
          at: now,
        });
        return { status: 201, body: { result: await presentRunById(ctx, trx, runId) } };
      });
      return sendResult(reply, result);
    },
  );

  app.patch<{ Params: RunId; Body: UpdateManualRun }>(
    "/x/runs/:run_id",
    { schema: schemas.update },
    async (request, reply) => {
      const run = await requireRun(db, request.access, request.params.run_id, "manageRuns", "edit manual runs");
      requireOpen(run);
      const body = request.body;
      const result = await mutate(app, request, async (trx) => {
        await requireMilestoneIn(trx, run.project_id, body.milestone_id);
        await requireConfigIn(trx, run.project_id, body.config_id);
        const now = new Date().toISOString();
        await trx
          .updateTable("runs")
          .set({
            ...(body.name !== undefined ? { name: body.name.trim() } : {}),
            ...(body.milestone_id !== undefined ? { milestone_id: body.milestone_id } : {}),
            ...(body.config_id !== undefined ? { config_id: body.config_id } : {}),
            updated_at: now,
            updated_by: request.user.id,
          })
          .where("id", "=", run.id)
          .where("is_closed", "=", 0)
          .execute();
        return { status: 200, body: { result: await presentRunById(ctx, trx, run.id) } };
      });
      return sendResult(reply, result);
    },
  );

  async function presentTests(runId: number, trx = db) {
    const [tests, latest, attachments] = await Promise.all([
      testsOfRun(trx, runId),
      latestResultsOfRun(trx, runId),
      attachmentsOfRun(trx, runId),
    ]);
    const issues = await issuesOfResultIds(
      trx,
      latest.map((r) => r.id),
    );
    return presentRunTests({ tests, latest, issues, attachments });
  }

  app.get<{ Params: RunId }>("/x/runs/:run_id/tests", { schema: schemas.tests }, async (request) => {
    const run = await requireRun(db, request.access, request.params.run_id, "view", "view runs");
    return { result: await presentTests(run.id) };
  });

  app.post<{ Params: RunId; Body: AssignManualRunTests }>(
    "/x/runs/:run_id/assign",
    { schema: schemas.assign },
    async (request, reply) => {
      const run = await requireRun(db, request.access, request.params.run_id, "manageRuns", "assign tests");
      requireOpen(run);
      const { test_ids: testIds, assignee_id: assigneeId } = request.body;
      const result = await mutate(app, request, async (trx) => {
        if (assigneeId !== null) await requireAssignees(trx, run.project_id, [assigneeId], "assignee_id");
        const unique = [...new Set(testIds)];
        const found = await trx
          .selectFrom("run_tests")
          .select("id")
          .where("run_id", "=", run.id)
          .where("id", "in", unique)
          .execute();
        const known = new Set(found.map((t) => t.id));
        const errors = Object.fromEntries(
          testIds.flatMap((id, i) =>
            known.has(id) ? [] : [[`test_ids.${i}`, [`Test ${id} is not in run ${run.id}.`]]],
          ),
        );
        if (Object.keys(errors).length > 0) {
          throw new InvalidDataError(
            `Some tests are not in run ${run.id}. Use ids from GET /x/runs/${run.id}/tests.`,
            errors,
          );
        }
        await trx.updateTable("run_tests").set({ assignee_id: assigneeId }).where("id", "in", unique).execute();
        return { status: 200, body: { result: await presentTests(run.id, trx as never) } };
      });
      return sendResult(reply, result);
    },
  );

  app.post<{ Params: RunId }>("/x/runs/:run_id/close", { schema: schemas.close }, async (request, reply) => {
    const run = await requireRun(db, request.access, request.params.run_id, "manageRuns", "close manual runs");
    requireOpen(run);
    const result = await mutate(app, request, async (trx) => {
      await closeRun(trx, request.user.id, run.id);
      return { status: 200, body: { result: await presentRunById(ctx, trx, run.id) } };
    });
    return sendResult(reply, result);
  });
}
