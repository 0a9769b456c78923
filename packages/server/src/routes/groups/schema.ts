import { ErrorCollection, GROUP_EXPANDS, Group, idParams, listQuery, Page, Row } from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface GroupListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
}

export const schemas = {
  list: {
    operationId: "getGroupPage",
    tags: ["Groups"],
    querystring: listQuery({ expands: GROUP_EXPANDS }),
    response: { 200: Page(Group), ...errors },
  },
  get: {
    operationId: "getGroup",
    tags: ["Groups"],
    params: idParams("group_id"),
    querystring: Type.Object({ expands: Type.Optional(Type.String()) }),
    response: { 200: Row(Group), ...errors },
  },
};
