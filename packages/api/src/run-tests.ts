import Type, { type Static } from "typebox";
import { AutomationArtifact, AutomationField } from "./automation.js";
import { Id, MAX_INTEGER, NullableId, NullableInteger, NullableString } from "./common.js";
import { AutomationRunTest } from "./insights.js";

/**
 * Assay extension (not Testmo): a run's tests for the web UI's run page, under `/api/v1/x/`.
 *
 * `GET /x/automation/runs/{id}/tests/compact` answers EVERY test (result) of the run in one response, column by
 * column: entry i of each array belongs to the same test, in id order (upload order). Folders are interned:
 * `folders` lists each distinct folder once and `folder_index[i]` points into it. A run of 100,000 tests is one
 * indexed read and a few MB of JSON, where the paginated §7 list would take 100 requests of 1,000.
 *
 * `GET /x/automation/run-tests/{id}` answers one test with its fields and artifacts (the failure text, console
 * output, screenshots…), which neither list carries.
 */
const Count = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });

export const CompactRunTests = Type.Object({
  automation_run_id: Id,
  /** number of tests: the length of every array below except `folders` */
  total: Count,
  /** automation run test (result) ids, ascending */
  ids: Type.Array(Id),
  /** the test identity (automation case) of each result: its history page */
  case_ids: Type.Array(Id),
  names: Type.Array(Type.String()),
  /** distinct folders, in order of first appearance */
  folders: Type.Array(Type.String()),
  /** index into `folders` */
  folder_index: Type.Array(Type.Integer({ minimum: 0 })),
  /** result status id (2 passed, 3 failed, 6 skipped, …) */
  status_ids: Type.Array(Type.Integer({ minimum: 1 })),
  /** elapsed µs; null when not timed */
  elapsed: Type.Array(NullableInteger),
  failure_group_ids: Type.Array(NullableId),
  /** first line of the failure; null for tests that did not fail */
  messages: Type.Array(NullableString),
});
export type CompactRunTests = Static<typeof CompactRunTests>;

/** `GET /x/automation/run-tests/{id}`: the §7 test object plus its fields and artifacts. */
export const RunTestDetail = Type.Object({
  ...AutomationRunTest.properties,
  fields: Type.Array(AutomationField),
  artifacts: Type.Array(AutomationArtifact),
});
export type RunTestDetail = Static<typeof RunTestDetail>;
