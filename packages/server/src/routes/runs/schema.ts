import {
  CsvIds,
  CsvNames,
  ErrorCollection,
  idParams,
  listQuery,
  Page,
  QueryBoolean,
  QueryDatetime,
  Row,
  RUN_EXPANDS,
  RUN_SORTS,
  Run,
} from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface RunListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: (typeof RUN_SORTS)[number];
  order?: "asc" | "desc";
  closed_after?: string;
  closed_before?: string;
  config_id?: string;
  created_after?: string;
  created_before?: string;
  created_by?: string;
  is_closed?: string;
  milestone_id?: string;
  state_id?: string;
  tags?: string;
}

export const schemas = {
  list: {
    operationId: "getRunPage",
    tags: ["Runs"],
    params: idParams("project_id"),
    querystring: listQuery({
      sorts: RUN_SORTS,
      expands: RUN_EXPANDS,
      filters: {
        closed_after: Type.Optional(QueryDatetime),
        closed_before: Type.Optional(QueryDatetime),
        config_id: Type.Optional(CsvIds),
        created_after: Type.Optional(QueryDatetime),
        created_before: Type.Optional(QueryDatetime),
        created_by: Type.Optional(CsvIds),
        is_closed: Type.Optional(QueryBoolean),
        milestone_id: Type.Optional(CsvIds),
        state_id: Type.Optional(CsvIds),
        tags: Type.Optional(CsvNames),
      },
    }),
    response: { 200: Page(Run), ...errors },
  },
  get: {
    operationId: "getRun",
    tags: ["Runs"],
    params: idParams("run_id"),
    querystring: Type.Object({ expands: Type.Optional(Type.String()) }),
    response: { 200: Row(Run), ...errors },
  },
};
