import { COMPARISON_CATEGORIES, type ComparisonCategory } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { invalidField } from "../../errors.js";
import { csvNames, pageEnvelope, pageRequest } from "../../lib/query.js";
import { requireRun } from "../../services/automation.js";
import { compareRun } from "../../services/insights/comparison.js";
import { runFailureGroups } from "../../storage/repositories/insight-runs.js";
import { presentRunFailureGroup } from "../x-failure-groups/presenter.js";
import { presentComparison } from "./presenter.js";
import { COMPARISON_LIMIT_DEFAULT, type ComparisonQuery, type RunFailureGroupQuery, schemas } from "./schema.js";

type RunId = { automation_run_id: number };

/** `categories=new_failures,fixed`: each must be a comparison category; a 422 names the ones that are. */
function listedCategories(value: string | undefined): ComparisonCategory[] | undefined {
  const names = csvNames(value, "categories");
  if (names === undefined) return undefined;
  const unknown = names.filter((name) => !(COMPARISON_CATEGORIES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw invalidField(
      "categories",
      `Unknown comparison categor${unknown.length === 1 ? "y" : "ies"} ${unknown.map((u) => `"${u}"`).join(", ")}: use ${COMPARISON_CATEGORIES.join(", ")}.`,
    );
  }
  return names as ComparisonCategory[];
}

export async function xRunInsightRoutes(app: FastifyInstance) {
  const { ctx } = app;

  app.get<{ Params: RunId; Querystring: ComparisonQuery }>(
    "/x/automation/runs/:automation_run_id/comparison",
    { schema: schemas.comparison },
    async (request) => {
      const run = await requireRun(ctx, request.access, request.params.automation_run_id, "view");
      const { baseline_id: baselineId, limit } = request.query;
      const categories = listedCategories(request.query.categories);
      const data = await compareRun(ctx, run, { baselineId, limit: limit ?? COMPARISON_LIMIT_DEFAULT, categories });
      return { result: presentComparison(data) };
    },
  );

  app.get<{ Params: RunId; Querystring: RunFailureGroupQuery }>(
    "/x/automation/runs/:automation_run_id/failure-groups",
    { schema: schemas.failureGroups },
    async (request) => {
      const run = await requireRun(ctx, request.access, request.params.automation_run_id, "view");
      const page = pageRequest(request.query);
      const { total, rows } = await runFailureGroups(ctx.storage.db, run.id, {
        offset: page.offset,
        limit: page.perPage,
      });
      return pageEnvelope(
        page,
        total,
        rows.map((row) => presentRunFailureGroup(row, run.id)),
      );
    },
  );
}
