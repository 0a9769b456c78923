import { AutomationRunTest, ErrorCollection, idParams, listQuery, MAX_ID, Page } from "@assay/api";
import Type from "typebox";

/**
 * `GET /automation/runs/{automation_run_id}/tests` (Testmo's newer API, spec
 * §7). Decisions (docs/api-compatibility.md, "Newer automation API"): page
 * sizes 100, 250, 500 or 1000; `status_id` selects outcomes (1 neutral,
 * 2 success, 3 failure, 4 running); `thread_id` must be a thread of the run.
 */
export const RUN_TEST_SORTS = [
  "automation_run_tests:id",
  "automation_run_tests:name",
  "automation_run_tests:status",
  "automation_run_tests:elapsed",
  "automation_run_tests:created_at",
] as const;
export type RunTestSort = (typeof RUN_TEST_SORTS)[number];

/** A run's tests come in larger pages than Testmo's other lists (15/25/50/100). */
export const RUN_TEST_PER_PAGE = [100, 250, 500, 1000] as const;

export const RunParams = idParams("automation_run_id");

const base = listQuery({
  sorts: RUN_TEST_SORTS,
  filters: {
    thread_id: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_ID, description: "Only the tests of this thread of the run" }),
    ),
    status_id: Type.Optional(
      Type.String({
        format: "id-list",
        description: "Comma-separated outcomes: 1 neutral (skipped, untested, …), 2 success, 3 failure, 4 running",
      }),
    ),
  },
});

export const RunTestListQuery = Type.Object({
  ...base.properties,
  per_page: Type.Optional(
    Type.Integer({ enum: [...RUN_TEST_PER_PAGE], description: "100 (default), 250, 500 or 1000" }),
  ),
});

export interface RunTestListQuery {
  page?: number;
  per_page?: number;
  sort?: RunTestSort;
  order?: "asc" | "desc";
  thread_id?: number;
  status_id?: string;
}

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  list: {
    operationId: "getAutomationRunTestPage",
    tags: ["Automation runs"],
    params: RunParams,
    querystring: RunTestListQuery,
    response: { 200: Page(AutomationRunTest, { expands: false }), ...errors },
  },
};
