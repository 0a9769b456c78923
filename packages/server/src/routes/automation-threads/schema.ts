import {
  AppendToAutomationRunThread,
  CompleteAutomationRunThread,
  CreateAutomationRunThread,
  CreatedId,
  ErrorCollection,
  idParams,
} from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };
const noContent = { 204: Type.Null({ description: "No content" }) };

export const schemas = {
  create: {
    operationId: "createAutomationRunThread",
    tags: ["Automation run threads"],
    params: idParams("automation_run_id"),
    body: CreateAutomationRunThread,
    response: { 201: CreatedId, ...errors },
  },
  append: {
    operationId: "appendToAutomationRunThread",
    tags: ["Automation run threads"],
    params: idParams("automation_run_thread_id"),
    body: AppendToAutomationRunThread,
    response: { ...noContent, ...errors },
  },
  complete: {
    operationId: "completeAutomationRunThread",
    tags: ["Automation run threads"],
    params: idParams("automation_run_thread_id"),
    body: CompleteAutomationRunThread,
    response: { ...noContent, ...errors },
  },
};
