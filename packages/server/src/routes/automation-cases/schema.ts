import { AutomationCase, CsvIds, ErrorCollection, idParams, listQuery, Page } from "@assay/api";
import Type from "typebox";

/**
 * `GET /projects/{project_id}/automation/cases` (Testmo's newer API, spec §7).
 * Decisions (docs/api-compatibility.md, "Newer automation API"): `order`
 * defaults to asc; `automation_sources:created_at` orders by source, then
 * case, by id; `folder` is an exact match, `name` a substring ignoring case.
 */
export const AUTOMATION_CASE_SORTS = [
  "automation_sources:created_at",
  "automation_cases:name",
  "automation_cases:elapsed_average",
  "automation_cases:failure_count",
  "automation_cases:flaky_percent",
] as const;
export type AutomationCaseSort = (typeof AUTOMATION_CASE_SORTS)[number];

/** `{id, name}` lists: the sources of the page's cases, and the repository cases linked to them. */
export const AUTOMATION_CASE_EXPANDS = ["automation_sources", "repository_cases"] as const;

export const ProjectParams = idParams("project_id");

export const AutomationCaseListQuery = listQuery({
  sorts: AUTOMATION_CASE_SORTS,
  expands: AUTOMATION_CASE_EXPANDS,
  filters: {
    source_id: Type.Optional(CsvIds),
    status: Type.Optional(
      Type.String({
        format: "id-list",
        description: "Comma-separated statuses of the latest result: 1 neutral, 2 success, 3 failure, 4 running",
      }),
    ),
    name: Type.Optional(Type.String({ maxLength: 750, description: "Part of the name, ignoring case" })),
    folder: Type.Optional(Type.String({ maxLength: 750, description: "The whole folder, exactly" })),
  },
});

export interface AutomationCaseListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: AutomationCaseSort;
  order?: "asc" | "desc";
  source_id?: string;
  status?: string;
  name?: string;
  folder?: string;
}

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  list: {
    operationId: "getAutomationCasePage",
    tags: ["Automation cases"],
    params: ProjectParams,
    querystring: AutomationCaseListQuery,
    response: { 200: Page(AutomationCase), ...errors },
  },
};
