import {
  CurrentUser,
  ErrorCollection,
  idParams,
  listQuery,
  Page,
  PROJECT_EXPANDS,
  PROJECT_SORTS,
  Project,
  QueryBoolean,
  Row,
} from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface ProjectListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: (typeof PROJECT_SORTS)[number];
  order?: "asc" | "desc";
  is_completed?: string;
}

export const schemas = {
  list: {
    operationId: "getProjectPage",
    tags: ["Projects"],
    querystring: listQuery({
      sorts: PROJECT_SORTS,
      expands: PROJECT_EXPANDS,
      filters: { is_completed: Type.Optional(QueryBoolean) },
    }),
    response: { 200: Page(Project), ...errors },
  },
  get: {
    operationId: "getProject",
    tags: ["Projects"],
    params: idParams("project_id"),
    querystring: Type.Object({ expands: Type.Optional(Type.String()) }),
    response: { 200: Row(Project), ...errors },
  },
  currentUser: {
    operationId: "getCurrentUser",
    tags: ["User"],
    response: { 200: CurrentUser, 401: ErrorCollection },
  },
};
