import { AutomationLinkPair, CreateAutomationLinks, ErrorCollection, idParams } from "@assay/api";
import Type from "typebox";

/**
 * Links between repository cases and automation cases, Testmo's newer
 * `POST /projects/{project_id}/automation-links[/bulk]` (spec §7): 204,
 * idempotent, all or nothing.
 */
export const ProjectParams = idParams("project_id");

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };
const noContent = { 204: Type.Null({ description: "No content" }) };

export const schemas = {
  create: {
    operationId: "createAutomationLink",
    tags: ["Automation links"],
    params: ProjectParams,
    body: AutomationLinkPair,
    response: { ...noContent, ...errors },
  },
  bulk: {
    operationId: "createAutomationLinks",
    tags: ["Automation links"],
    params: ProjectParams,
    body: CreateAutomationLinks,
    response: { ...noContent, ...errors },
  },
};
