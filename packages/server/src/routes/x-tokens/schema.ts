import { ErrorCollection, idParams, UserApiTokenList, UserApiTokenQuery } from "@assay/api";
import Type from "typebox";

/** Every user's API tokens (`/api/v1/x/tokens`, Assay's extension, not Testmo's API). Administrators only. */
const tags = ["Tokens"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  list: {
    operationId: "assayGetAllTokens",
    tags,
    summary: "Every user's active API tokens (never the tokens themselves), newest first",
    querystring: UserApiTokenQuery,
    response: { 200: UserApiTokenList, ...errors },
  },
  revoke: {
    operationId: "assayRevokeAnyToken",
    tags,
    summary: "Revoke any user's API token; requests with it then get 401",
    params: idParams("token_id"),
    response: { 204: Type.Null({ description: "No content" }), ...errors },
  },
};
