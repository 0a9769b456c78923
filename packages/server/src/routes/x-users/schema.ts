import { ErrorCollection, idParams, Row, UpdateUser, User } from "@assay/api";

/** Editing users (`/api/v1/x/users/{id}`, Assay's extension, not Testmo's API). Administrators only. */
const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  update: {
    operationId: "assayUpdateUser",
    tags,
    summary: "Change a user's name, global role or active state; deactivating signs them out everywhere",
    params: idParams("user_id"),
    body: UpdateUser,
    response: { 200: Row(User), ...errors },
  },
};
