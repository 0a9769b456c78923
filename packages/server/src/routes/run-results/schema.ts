import {
  CsvIds,
  ErrorCollection,
  idParams,
  listQuery,
  Page,
  QueryBoolean,
  QueryDatetime,
  RUN_RESULT_EXPANDS,
  RUN_RESULT_SORTS,
  RunResult,
} from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface RunResultListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: (typeof RUN_RESULT_SORTS)[number];
  order?: "asc" | "desc";
  created_after?: string;
  created_before?: string;
  created_by?: string;
  assignee_id?: string;
  status_id?: string;
  get_latest_result?: string;
}

export const schemas = {
  list: {
    operationId: "getRunResultPage",
    tags: ["Run results"],
    params: idParams("run_id"),
    querystring: listQuery({
      sorts: RUN_RESULT_SORTS,
      expands: RUN_RESULT_EXPANDS,
      filters: {
        created_after: Type.Optional(QueryDatetime),
        created_before: Type.Optional(QueryDatetime),
        created_by: Type.Optional(CsvIds),
        assignee_id: Type.Optional(CsvIds),
        status_id: Type.Optional(CsvIds),
        get_latest_result: Type.Optional(QueryBoolean),
      },
    }),
    response: { 200: Page(RunResult), ...errors },
  },
};
