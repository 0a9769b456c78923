import type { FastifyInstance } from "fastify";
import { csvIds } from "../../lib/query.js";
import { trendRows } from "../../storage/repositories/insight-runs.js";
import { presentTrends } from "./presenter.js";
import { schemas, TRENDS_DAYS_DEFAULT, type TrendsQuery } from "./schema.js";

const DAY_MS = 86_400_000;

/** Start (ISO-8601 UTC) of the window of `days` UTC days that ends today. */
export function windowStart(days: number, now = new Date()): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS).toISOString();
}

export async function xTrendRoutes(app: FastifyInstance) {
  const { ctx } = app;

  app.get<{ Params: { project_id: number }; Querystring: TrendsQuery }>(
    "/x/projects/:project_id/automation/trends",
    { schema: schemas.trends },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view automation trends");
      const { days, source_id } = request.query;
      const { runs, threads } = await trendRows(ctx.storage.db, {
        projectId,
        since: windowStart(days ?? TRENDS_DAYS_DEFAULT),
        sourceIds: csvIds(source_id, "source_id"),
      });
      return { result: presentTrends(ctx.statuses, runs, threads) };
    },
  );
}
