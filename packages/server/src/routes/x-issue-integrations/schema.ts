import {
  CreateIssueIntegration,
  ErrorCollection,
  IssueIntegration,
  idParams,
  Row,
  UpdateIssueIntegration,
} from "@assay/api";
import Type from "typebox";

/** Issue tracker administration (`/api/v1/x/issue-integrations`, Assay's extension, not Testmo's API). */
const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  create: {
    operationId: "assayCreateIssueIntegration",
    tags,
    summary: "Create an issue tracker with its connections and external projects (administrators)",
    body: CreateIssueIntegration,
    response: { 201: Row(IssueIntegration), ...errors },
  },
  update: {
    operationId: "assayUpdateIssueIntegration",
    tags,
    summary: "Rename, (de)activate, or add connections and projects to an issue tracker (administrators)",
    params: idParams("integration_id"),
    body: UpdateIssueIntegration,
    response: { 200: Row(IssueIntegration), ...errors },
  },
  remove: {
    operationId: "assayDeleteIssueIntegration",
    tags,
    summary: "Delete an issue tracker no issue is linked to (else 422: deactivate it)",
    params: idParams("integration_id"),
    response: { 204: Type.Null({ description: "No content" }), ...errors },
  },
};
