import {
  AssignManualRunTests,
  CreateManualRun,
  ErrorCollection,
  idParams,
  ManualRunResult,
  ManualRunTestList,
  ProjectConfigList,
  UpdateManualRun,
} from "@assay/api";

/** Assay's manual-run writes (`/api/v1/x/…`, not Testmo's API); Testmo's GET /runs and /runs/{id}/results read them. */
const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };
const RunParams = idParams("run_id");

export const schemas = {
  configs: {
    operationId: "assayGetProjectConfigs",
    tags,
    summary: "The configurations of a project, by name",
    params: idParams("project_id"),
    response: { 200: ProjectConfigList, ...errors },
  },
  create: {
    operationId: "assayCreateManualRun",
    tags,
    summary: "Create a manual run from folders, cases or a case filter, with assignees, milestone and configuration",
    params: idParams("project_id"),
    body: CreateManualRun,
    response: { 201: ManualRunResult, ...errors },
  },
  update: {
    operationId: "assayUpdateManualRun",
    tags,
    summary: "Rename a manual run or change its milestone or configuration",
    params: RunParams,
    body: UpdateManualRun,
    response: { 200: ManualRunResult, ...errors },
  },
  tests: {
    operationId: "assayGetManualRunTests",
    tags,
    summary: "Every test of a manual run with its latest result",
    params: RunParams,
    response: { 200: ManualRunTestList, ...errors },
  },
  assign: {
    operationId: "assayAssignManualRunTests",
    tags,
    summary: "Give tests of a manual run to a user (or nobody)",
    params: RunParams,
    body: AssignManualRunTests,
    response: { 200: ManualRunTestList, ...errors },
  },
  close: {
    operationId: "assayCloseManualRun",
    tags,
    summary: "Close a manual run: it keeps its results and accepts no more changes",
    params: RunParams,
    response: { 200: ManualRunResult, ...errors },
  },
};
