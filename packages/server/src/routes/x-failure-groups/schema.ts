import {
  ErrorCollection,
  FailureGroup,
  FailureGroupDetail,
  idParams,
  listQuery,
  Page,
  QueryDatetime,
} from "@assay/api";
import Type, { type Static } from "typebox";
import { FAILURE_GROUP_SORTS } from "../../storage/repositories/insight-runs.js";

/**
 * Assay's extension `/api/v1/x/…` (not Testmo's API): failures that share a
 * signature, per project (docs/analytics.md, "Failure groups").
 */
const tags = ["Test intelligence (Assay extension, not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const FailureGroupListQuery = listQuery({
  sorts: FAILURE_GROUP_SORTS.map((s) => `failure_groups:${s}`),
  filters: {
    /** groups last seen at or after this time */
    since: Type.Optional(QueryDatetime),
  },
});
export type FailureGroupListQuery = Static<typeof FailureGroupListQuery> & {
  page?: number;
  per_page?: number;
  sort?: string;
  order?: "asc" | "desc";
  since?: string;
};

export const schemas = {
  list: {
    operationId: "assayGetProjectFailureGroups",
    tags,
    description: "A project's failure groups, last seen first unless sorted otherwise.",
    params: idParams("project_id"),
    querystring: FailureGroupListQuery,
    response: { 200: Page(FailureGroup, { expands: false }), ...errors },
  },
  get: {
    operationId: "assayGetFailureGroup",
    tags,
    description: "One failure group with its tests (most occurrences first, up to 100) and newest runs (up to 20).",
    params: idParams("failure_group_id"),
    response: { 200: Type.Object({ result: FailureGroupDetail }), ...errors },
  },
};
