import { ErrorCollection, idParams, listQuery, Page, Row, USER_EXPANDS, User } from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface UserListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
}

export const schemas = {
  list: {
    operationId: "getUserPage",
    tags: ["Users"],
    querystring: listQuery({ expands: USER_EXPANDS }),
    response: { 200: Page(User), ...errors },
  },
  get: {
    operationId: "getUser",
    tags: ["Users"],
    params: idParams("user_id"),
    querystring: Type.Object({ expands: Type.Optional(Type.String()) }),
    response: { 200: Row(User), ...errors },
  },
};
