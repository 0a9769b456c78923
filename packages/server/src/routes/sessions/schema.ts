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
  SESSION_EXPANDS,
  SESSION_SORTS,
  Session,
} from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface SessionListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: (typeof SESSION_SORTS)[number];
  order?: "asc" | "desc";
  assignee_id?: string;
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
  template_id?: string;
}

export const schemas = {
  list: {
    operationId: "getSessionPage",
    tags: ["Sessions"],
    params: idParams("project_id"),
    querystring: listQuery({
      sorts: SESSION_SORTS,
      expands: SESSION_EXPANDS,
      filters: {
        assignee_id: Type.Optional(CsvIds),
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
        template_id: Type.Optional(CsvIds),
      },
    }),
    response: { 200: Page(Session), ...errors },
  },
  get: {
    operationId: "getSession",
    tags: ["Sessions"],
    params: idParams("session_id"),
    querystring: Type.Object({ expands: Type.Optional(Type.String()) }),
    response: { 200: Row(Session), ...errors },
  },
};
