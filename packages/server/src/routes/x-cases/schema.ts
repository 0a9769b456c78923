import {
  CaseDetailResult,
  CaseListItem,
  CsvIds,
  ErrorCollection,
  idParams,
  listQuery,
  Page,
  RepositoryOptionsResult,
  SaveCase,
  X_CASE_SORTS,
} from "@assay/api";
import Type from "typebox";

const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface XCaseListQuery {
  page?: number;
  per_page?: number;
  sort?: (typeof X_CASE_SORTS)[number];
  order?: "asc" | "desc";
  search?: string;
  folder_id?: string;
  include_subfolders?: "true" | "false" | "1" | "0";
  tag_id?: string;
  state_id?: string;
  template_id?: string;
  custom_field?: string;
  custom_value?: string;
}

export const schemas = {
  get: {
    operationId: "assayGetCase",
    tags,
    summary: "One repository case, whole: steps, custom fields, tags, issues, attachments, linked automated tests",
    params: idParams("case_id"),
    response: { 200: CaseDetailResult, ...errors },
  },
  save: {
    operationId: "assaySaveCase",
    tags,
    summary:
      "Saves one case if nobody saved it since the updated_at you loaded; otherwise a 422 naming updated_at and nothing changes",
    params: idParams("case_id"),
    body: SaveCase,
    response: { 200: CaseDetailResult, ...errors },
  },
  list: {
    operationId: "assayGetRepositoryCases",
    tags,
    summary: "The repository's cases with search and filters by folder, tag, state, template and custom field",
    params: idParams("project_id"),
    querystring: listQuery({
      sorts: X_CASE_SORTS,
      filters: {
        search: Type.Optional(Type.String({ maxLength: 255 })),
        folder_id: Type.Optional(CsvIds),
        include_subfolders: Type.Optional(Type.Enum(["true", "false", "1", "0"])),
        tag_id: Type.Optional(CsvIds),
        state_id: Type.Optional(CsvIds),
        template_id: Type.Optional(CsvIds),
        custom_field: Type.Optional(Type.String({ pattern: "^custom_[A-Za-z0-9_]{1,64}$" })),
        custom_value: Type.Optional(Type.String({ maxLength: 255 })),
      },
    }),
    response: { 200: Page(CaseListItem, { expands: false }), ...errors },
  },
  options: {
    operationId: "assayGetRepositoryOptions",
    tags,
    summary: "What the repository's forms offer: templates, workflow states, the project's tags, custom field names",
    params: idParams("project_id"),
    response: { 200: RepositoryOptionsResult, 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection },
  },
};
