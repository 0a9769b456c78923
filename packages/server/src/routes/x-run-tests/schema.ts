import { CompactRunTests, ErrorCollection, idParams, RunTestDetail } from "@assay/api";
import Type from "typebox";

/**
 * Assay's extension `/api/v1/x/…` (not Testmo's API): a run's tests for the web UI's run page, all of them at
 * once in columns, and one test with its fields and artifacts. Reads need the view permission on the run's
 * project.
 */
const tags = ["Automation runs (Assay extension, not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  compact: {
    operationId: "assayGetAutomationRunTestsCompact",
    tags,
    description:
      "Every test (result) of the run in one answer, column by column in id order (folders interned): what a UI needs to list, filter, sort and group a run of 100,000 tests without paging.",
    params: idParams("automation_run_id"),
    response: { 200: Type.Object({ result: CompactRunTests }), ...errors },
  },
  get: {
    operationId: "assayGetAutomationRunTest",
    tags,
    description: "One test (result) of a run with its fields (failure text, console output) and artifacts.",
    params: idParams("automation_run_test_id"),
    response: { 200: Type.Object({ result: RunTestDetail }), ...errors },
  },
};
