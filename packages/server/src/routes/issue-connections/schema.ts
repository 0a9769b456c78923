import { CONNECTION_SORTS, ConnectionPage, CsvIds, ErrorCollection, listQuery, QueryBoolean } from "@assay/api";
import Type from "typebox";

export interface ConnectionListQuery {
  page?: number;
  per_page?: number;
  sort?: (typeof CONNECTION_SORTS)[number];
  order?: "asc" | "desc";
  integration_id?: string;
  integration_name?: string;
  connection_id?: string;
  connection_name?: string;
  connection_project_id?: string;
  connection_project_name?: string;
  integration_type?: string;
  is_active?: string;
}

const Text = Type.String({ minLength: 1 });

export const schemas = {
  list: {
    operationId: "getConnectionsPage",
    tags: ["Issue connections"],
    querystring: listQuery({
      sorts: CONNECTION_SORTS,
      filters: {
        integration_id: Type.Optional(CsvIds),
        integration_name: Type.Optional(Text),
        connection_id: Type.Optional(CsvIds),
        connection_name: Type.Optional(Text),
        connection_project_id: Type.Optional(CsvIds),
        connection_project_name: Type.Optional(Text),
        integration_type: Type.Optional(Type.String({ pattern: "^\\s*[1-4](\\s*,\\s*[1-4])*\\s*$" })),
        is_active: Type.Optional(QueryBoolean),
      },
    }),
    response: { 200: ConnectionPage, 401: ErrorCollection, 422: ErrorCollection },
  },
};
