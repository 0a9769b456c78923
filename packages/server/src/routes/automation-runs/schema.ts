import {
  AppendToAutomationRun,
  AUTOMATION_RUN_EXPANDS,
  AutomationRun,
  CompleteAutomationRun,
  CreateAutomationRun,
  CreatedId,
  CsvIds,
  CsvNames,
  ErrorCollection,
  idParams,
  listQuery,
  Page,
  QueryDatetime,
  Row,
} from "@assay/api";
import Type, { type Static } from "typebox";

export const RunParams = idParams("automation_run_id");
export const ProjectParams = idParams("project_id");
export const RunExpandQuery = Type.Object({ expands: Type.Optional(Type.String()) });

export const RunListQuery = listQuery({
  sorts: ["automation_runs:created_at"],
  expands: AUTOMATION_RUN_EXPANDS,
  filters: {
    config_id: Type.Optional(CsvIds),
    created_after: Type.Optional(QueryDatetime),
    created_before: Type.Optional(QueryDatetime),
    created_by: Type.Optional(CsvIds),
    milestone_id: Type.Optional(CsvIds),
    source_id: Type.Optional(CsvIds),
    status: Type.Optional(CsvIds),
    tags: Type.Optional(CsvNames),
  },
});
export type RunListQuery = Static<typeof RunListQuery> & {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: string;
  order?: "asc" | "desc";
  config_id?: string;
  created_after?: string;
  created_before?: string;
  created_by?: string;
  milestone_id?: string;
  source_id?: string;
  status?: string;
  tags?: string;
};

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };
const noContent = { 204: Type.Null({ description: "No content" }) };

export const schemas = {
  list: {
    operationId: "getAutomationRunPage",
    tags: ["Automation runs"],
    params: ProjectParams,
    querystring: RunListQuery,
    response: { 200: Page(AutomationRun), ...errors },
  },
  get: {
    operationId: "getAutomationRun",
    tags: ["Automation runs"],
    params: RunParams,
    querystring: RunExpandQuery,
    response: { 200: Row(AutomationRun), ...errors },
  },
  create: {
    operationId: "createAutomationRun",
    tags: ["Automation runs"],
    params: ProjectParams,
    body: CreateAutomationRun,
    response: { 201: CreatedId, ...errors },
  },
  append: {
    operationId: "appendToAutomationRun",
    tags: ["Automation runs"],
    params: RunParams,
    body: AppendToAutomationRun,
    response: { ...noContent, ...errors },
  },
  complete: {
    operationId: "completeAutomationRun",
    tags: ["Automation runs"],
    params: RunParams,
    body: CompleteAutomationRun,
    response: { ...noContent, ...errors },
  },
};
