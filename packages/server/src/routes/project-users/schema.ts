import { ErrorCollection, idParams, listQuery, Page, ProjectUser } from "@assay/api";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface ProjectUserListQuery {
  page?: number;
  per_page?: number;
}

export const schemas = {
  list: {
    operationId: "getUserPageForProject",
    tags: ["Users"],
    params: idParams("project_id"),
    querystring: listQuery({}),
    response: { 200: Page(ProjectUser, { expands: false }), ...errors },
  },
};
