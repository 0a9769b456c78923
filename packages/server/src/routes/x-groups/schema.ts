import { ErrorCollection, Group, Id, idParams, Row, UpdateGroup } from "@assay/api";
import Type from "typebox";

/** Editing groups (`/api/v1/x/groups/{id}`, Assay's extension, not Testmo's API). Administrators only. */
const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };
const noContent = { 204: Type.Null({ description: "No content" }) };

export const schemas = {
  update: {
    operationId: "assayRenameGroup",
    tags,
    summary: "Rename a group",
    params: idParams("group_id"),
    body: UpdateGroup,
    response: { 200: Row(Group), ...errors },
  },
  remove: {
    operationId: "assayDeleteGroup",
    tags,
    summary: "Delete a group, its memberships and its project access overrides",
    params: idParams("group_id"),
    response: { ...noContent, ...errors },
  },
  removeMember: {
    operationId: "assayRemoveGroupMember",
    tags,
    summary: "Remove one user from a group",
    params: Type.Object({ group_id: Id, user_id: Id }),
    response: { ...noContent, ...errors },
  },
};
