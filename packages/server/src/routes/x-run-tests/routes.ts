import type { FastifyInstance } from "fastify";
import { NotFoundError } from "../../errors.js";
import { requireRun } from "../../services/automation.js";
import { firstLinkedCases } from "../automation-run-tests/queries.js";
import { presentCompact, presentRunTestDetail } from "./presenter.js";
import { compactRunTests, findRunTestWithDetails } from "./queries.js";
import { schemas } from "./schema.js";

/**
 * The web UI's run page: every test of a run in one columnar answer, and one test with its fields and
 * artifacts (Assay extension; docs/api-compatibility.md, "Run tests for the web UI").
 */
export async function xRunTestRoutes(app: FastifyInstance) {
  const { ctx } = app;

  app.get<{ Params: { automation_run_id: number } }>(
    "/x/automation/runs/:automation_run_id/tests/compact",
    { schema: schemas.compact },
    async (request) => {
      const run = await requireRun(ctx, request.access, request.params.automation_run_id, "view");
      return { result: presentCompact(run.id, await compactRunTests(ctx.storage, run.id)) };
    },
  );

  app.get<{ Params: { automation_run_test_id: number } }>(
    "/x/automation/run-tests/:automation_run_test_id",
    { schema: schemas.get },
    async (request) => {
      const id = request.params.automation_run_test_id;
      const row = await findRunTestWithDetails(ctx.storage, id);
      if (!row) throw new NotFoundError(`Automation run test ${id} does not exist.`);
      const run = await requireRun(ctx, request.access, row.run_id, "view");
      const links = await firstLinkedCases(ctx.storage.db, [row.case_id]);
      return { result: presentRunTestDetail(ctx.statuses, run.project_id, row, links.get(row.case_id) ?? null) };
    },
  );
}
