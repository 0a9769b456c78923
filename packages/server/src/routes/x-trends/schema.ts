import { CsvIds, ErrorCollection, idParams, TrendDay } from "@assay/api";
import Type, { type Static } from "typebox";

/**
 * Assay's extension `/api/v1/x/…` (not Testmo's API): a project's automation
 * figures per UTC day and source (docs/analytics.md, "Project trends").
 */
const tags = ["Test intelligence (Assay extension, not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const TRENDS_DAYS_DEFAULT = 30;

export const TrendsQuery = Type.Object({
  /** today (UTC) and the days before it: 1 is today only */
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  source_id: Type.Optional(CsvIds),
});
export type TrendsQuery = Static<typeof TrendsQuery>;

export const schemas = {
  trends: {
    operationId: "assayGetAutomationTrends",
    tags,
    description:
      "Runs, tests, pass rate and time per UTC day of the runs' creation and source, oldest first; days without runs are left out.",
    params: idParams("project_id"),
    querystring: TrendsQuery,
    response: { 200: Type.Object({ result: Type.Array(TrendDay) }), ...errors },
  },
};
