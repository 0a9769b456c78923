import {
  CaseFailureGroup,
  CsvIds,
  ErrorCollection,
  InsightCase,
  InsightSettings,
  idParams,
  listQuery,
  Page,
  Quarantine,
  QueryBoolean,
  SetQuarantine,
  TestHistoryItem,
  UpdateInsightSettings,
} from "@assay/api";
import Type, { type TSchema } from "typebox";
import { CASE_SORT_COLUMNS, type CaseSortColumn } from "../../storage/repositories/insight-cases.js";

/**
 * Assay's test intelligence, case by case (`/api/v1/x/…`, not Testmo's API):
 * definitions of every figure and sort in docs/analytics.md.
 */
const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };
const noContent = { 204: Type.Null({ description: "No content" }) };

/** `{result}`: the single objects of this extension carry no expands. */
const Result = <T extends TSchema>(item: T) => Type.Object({ result: item });

/** Bare (`flaky_percent`) or qualified like Testmo's sorts (`automation_cases:flaky_percent`). */
export const CASE_SORTS = [...CASE_SORT_COLUMNS, ...CASE_SORT_COLUMNS.map((c) => `automation_cases:${c}` as const)];

export const ProjectParams = idParams("project_id");
export const CaseParams = idParams("automation_case_id");

export interface CaseListQuery {
  page?: number;
  per_page?: number;
  sort?: CaseSortColumn | `automation_cases:${CaseSortColumn}`;
  order?: "asc" | "desc";
  source_id?: string;
  status?: string;
  flaky?: string;
  quarantined?: string;
  name?: string;
  folder?: string;
}

export interface HistoryQuery {
  page?: number;
  per_page?: number;
  status?: string;
  branch?: string;
}

export interface PageQuery {
  page?: number;
  per_page?: number;
}

const OutcomeList = Type.String({
  format: "id-list",
  description: "Comma-separated outcomes: 1 neutral (skipped, untested, …), 2 success, 3 failure",
});

export const schemas = {
  list: {
    operationId: "assayGetInsightCasePage",
    tags,
    params: ProjectParams,
    querystring: listQuery({
      sorts: CASE_SORTS,
      filters: {
        source_id: Type.Optional(CsvIds),
        status: Type.Optional(OutcomeList),
        flaky: Type.Optional(QueryBoolean),
        quarantined: Type.Optional(QueryBoolean),
        name: Type.Optional(Type.String({ maxLength: 750 })),
        folder: Type.Optional(Type.String({ maxLength: 750 })),
      },
    }),
    response: { 200: Page(InsightCase, { expands: false }), ...errors },
  },
  get: {
    operationId: "assayGetInsightCase",
    tags,
    params: CaseParams,
    response: { 200: Result(InsightCase), ...errors },
  },
  history: {
    operationId: "assayGetInsightCaseHistory",
    tags,
    params: CaseParams,
    querystring: listQuery({
      filters: {
        status: Type.Optional(OutcomeList),
        branch: Type.Optional(Type.String({ minLength: 1, maxLength: 750 })),
      },
    }),
    response: { 200: Page(TestHistoryItem, { expands: false }), ...errors },
  },
  failureGroups: {
    operationId: "assayGetInsightCaseFailureGroups",
    tags,
    params: CaseParams,
    querystring: listQuery({}),
    response: { 200: Page(CaseFailureGroup, { expands: false }), ...errors },
  },
  putQuarantine: {
    operationId: "assaySetQuarantine",
    tags,
    params: CaseParams,
    body: SetQuarantine,
    response: { 200: Result(Quarantine), ...errors },
  },
  deleteQuarantine: {
    operationId: "assayRemoveQuarantine",
    tags,
    params: CaseParams,
    response: { ...noContent, ...errors },
  },
  getSettings: {
    operationId: "assayGetInsightSettings",
    tags,
    params: ProjectParams,
    response: { 200: Result(InsightSettings), ...errors },
  },
  patchSettings: {
    operationId: "assayUpdateInsightSettings",
    tags,
    params: ProjectParams,
    body: UpdateInsightSettings,
    response: { 200: Result(InsightSettings), ...errors },
  },
};
