import {
  AddGroupMembers,
  CreatedId,
  CreatedUser,
  CreateGroup,
  CreateUser,
  ErrorCollection,
  idParams,
  SetProjectAccess,
} from "@assay/api";
import Type from "typebox";

/**
 * Assay's extension namespace `/api/v1/x/…`: NOT part of Testmo's API. Testmo
 * manages users, groups and access in its web UI; until Assay has one, scripts
 * use these. Administrators only.
 */
const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };
const noContent = { 204: Type.Null({ description: "No content" }) };

export const schemas = {
  createUser: {
    operationId: "assayCreateUser",
    tags,
    body: CreateUser,
    response: { 201: CreatedUser, ...errors },
  },
  createGroup: {
    operationId: "assayCreateGroup",
    tags,
    body: CreateGroup,
    response: { 201: CreatedId, ...errors },
  },
  addMembers: {
    operationId: "assayAddGroupMembers",
    tags,
    params: idParams("group_id"),
    body: AddGroupMembers,
    response: { ...noContent, ...errors },
  },
  setAccess: {
    operationId: "assaySetProjectAccess",
    tags,
    params: idParams("project_id"),
    body: SetProjectAccess,
    response: { ...noContent, ...errors },
  },
};
