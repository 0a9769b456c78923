import { ErrorCollection, Id, idParams, listQuery, Page, RunComparison, RunFailureGroup } from "@assay/api";
import Type, { type Static } from "typebox";

/**
 * Assay's extension `/api/v1/x/…` (not Testmo's API): one automation run
 * against its baseline, and the failure groups seen in it
 * (docs/analytics.md, "Run comparison" and "Failure groups").
 */
const tags = ["Test intelligence (Assay extension, not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const COMPARISON_LIMIT_DEFAULT = 50;

export const ComparisonQuery = Type.Object({
  /** the run to compare with; without it, the automatic baseline */
  baseline_id: Type.Optional(Id),
  /** most tests listed per category (counts are always complete) */
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  /** comma-separated categories whose tests are listed; the others' lists are empty (counts stay complete) */
  categories: Type.Optional(
    Type.String({
      description:
        "Comma-separated categories whose tests are listed (default: all); the other lists are empty, the counts stay complete.",
    }),
  ),
});
export type ComparisonQuery = Static<typeof ComparisonQuery>;

export const RunFailureGroupQuery = listQuery({});
export type RunFailureGroupQuery = { page?: number; per_page?: number };

export const schemas = {
  comparison: {
    operationId: "assayGetRunComparison",
    tags,
    description:
      "The run against a baseline: new failures, still failing, fixed, new, gone and markedly slower tests, and the run's failures split by quarantine.",
    params: idParams("automation_run_id"),
    querystring: ComparisonQuery,
    response: { 200: Type.Object({ result: RunComparison }), ...errors },
  },
  failureGroups: {
    operationId: "assayGetRunFailureGroups",
    tags,
    description: "The failure groups seen in the run, most failures in the run first.",
    params: idParams("automation_run_id"),
    querystring: RunFailureGroupQuery,
    response: { 200: Page(RunFailureGroup, { expands: false }), ...errors },
  },
};
