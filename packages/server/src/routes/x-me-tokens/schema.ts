import { ApiTokenList, CreateApiToken, CreatedApiTokenResult, ErrorCollection, idParams } from "@assay/api";
import Type from "typebox";

/** The signed-in user's own API tokens (`/api/v1/x/me/tokens`, Assay's extension, not Testmo's API). */
const tags = ["Tokens"];
const noContent = { 204: Type.Null({ description: "No content" }) };

export const schemas = {
  list: {
    operationId: "assayGetOwnTokens",
    tags,
    summary: "Your active API tokens, newest first",
    response: { 200: ApiTokenList, 401: ErrorCollection },
  },
  create: {
    operationId: "assayCreateOwnToken",
    tags,
    summary: "Create an API token for yourself; the token is in this answer only",
    body: CreateApiToken,
    response: { 201: CreatedApiTokenResult, 401: ErrorCollection, 403: ErrorCollection, 422: ErrorCollection },
  },
  revoke: {
    operationId: "assayRevokeOwnToken",
    tags,
    summary: "Revoke one of your API tokens; requests with it then get 401",
    params: idParams("token_id"),
    response: { ...noContent, 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection },
  },
};
