import { TestOutcome } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { invalidField } from "../../errors.js";
import { csvIds, pageEnvelope, pageRequest } from "../../lib/query.js";
import { requireRun } from "../../services/automation.js";
import type { StatusCatalog } from "../../services/statuses.js";
import { presentRunTest } from "./presenter.js";
import { findThreadOfRun, firstLinkedCases, listRunTests, type RunTestSortColumn } from "./queries.js";
import { type RunTestListQuery, schemas } from "./schema.js";

type RunId = { automation_run_id: number };

const OUTCOMES: readonly number[] = Object.values(TestOutcome);

/**
 * The tests (results) of one automation run, Testmo's newer
 * `GET /automation/runs/{id}/tests` (spec §7). A test's `status` is its
 * outcome (1 neutral, 2 success, 3 failure) and `status_id` its result
 * status; the `status_id` filter selects outcomes, 4 (running) matches no
 * test. Decisions: docs/api-compatibility.md, "Newer automation API".
 */
export async function automationRunTestRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db, dialect } = ctx.storage;
  const outcomeIds = {
    passed: ctx.statuses.all.filter((s) => s.is_passed).map((s) => s.id),
    failed: ctx.statuses.all.filter((s) => s.is_failed).map((s) => s.id),
  };

  app.get<{ Params: RunId; Querystring: RunTestListQuery }>(
    "/automation/runs/:automation_run_id/tests",
    { schema: schemas.list },
    async (request) => {
      const run = await requireRun(ctx, request.access, request.params.automation_run_id, "view");
      const q = request.query;
      const statusIds = statusIdsOfOutcomes(ctx.statuses, q.status_id);
      if (q.thread_id !== undefined) {
        const thread = await findThreadOfRun(db, q.thread_id);
        if (thread?.run_id !== run.id) {
          throw invalidField(
            "thread_id",
            `Thread ${q.thread_id} is not a thread of automation run ${run.id}. Use the id of one of the run's threads (\`threads\` of GET /automation/runs/${run.id}).`,
          );
        }
      }
      const page = pageRequest(q);
      const { total, rows } = await listRunTests(
        db,
        dialect,
        outcomeIds,
        { runId: run.id, threadId: q.thread_id, statusIds },
        {
          offset: page.offset,
          limit: page.perPage,
          sort: (q.sort?.split(":")[1] ?? "id") as RunTestSortColumn,
          order: q.order ?? "desc",
        },
      );
      const links = await firstLinkedCases(
        db,
        rows.map((r) => r.case_id),
      );
      return pageEnvelope(
        page,
        total,
        rows.map((row) => presentRunTest(ctx.statuses, run.project_id, row, links.get(row.case_id) ?? null)),
      );
    },
  );
}

/** `status_id=2,3` (outcomes) → the result status ids with those outcomes; undefined when absent. */
function statusIdsOfOutcomes(statuses: StatusCatalog, value: string | undefined): number[] | undefined {
  const wanted = csvIds(value, "status_id");
  if (wanted === undefined) return undefined;
  const unknown = wanted.filter((o) => !OUTCOMES.includes(o));
  if (unknown.length > 0) {
    throw invalidField(
      "status_id",
      `The status_id field must list outcomes 1 (neutral: skipped, untested, …), 2 (success), 3 (failure) or 4 (running), e.g. 2,3 (not ${unknown.join(", ")}).`,
    );
  }
  return statuses.all.filter((s) => wanted.includes(statuses.outcomeOf(s.id))).map((s) => s.id);
}
