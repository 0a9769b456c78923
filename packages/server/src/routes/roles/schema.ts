import { ErrorCollection, idParams, listQuery, Page, ROLE_EXPANDS, Role, Row } from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface RoleListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
}

export const schemas = {
  list: {
    operationId: "getRolePage",
    tags: ["Roles"],
    querystring: listQuery({ expands: ROLE_EXPANDS }),
    response: { 200: Page(Role), ...errors },
  },
  get: {
    operationId: "getRole",
    tags: ["Roles"],
    params: idParams("role_id"),
    querystring: Type.Object({ expands: Type.Optional(Type.String()) }),
    response: { 200: Row(Role), ...errors },
  },
};
