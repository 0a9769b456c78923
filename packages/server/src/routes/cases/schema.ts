import {
  CASE_EXPANDS,
  CASE_SORTS,
  CaseResultList,
  CreateRepositoryCase,
  CsvIds,
  DeleteRepositoryCases,
  ErrorCollection,
  idParams,
  listQuery,
  Page,
  QueryBoolean,
  QueryDatetime,
  RepositoryCase,
  UpdateRepositoryCase,
} from "@assay/api";
import Type from "typebox";

export const ProjectParams = idParams("project_id");

export interface CaseListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: (typeof CASE_SORTS)[number];
  order?: "asc" | "desc";
  folder_id?: string;
  template_id?: string;
  state_id?: string;
  status_id?: string;
  created_after?: string;
  created_before?: string;
  created_by?: string;
  has_automation?: string;
  has_automation_status?: string;
}

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  list: {
    operationId: "getCasesPage",
    tags: ["Repository cases"],
    params: ProjectParams,
    querystring: listQuery({
      sorts: CASE_SORTS,
      expands: CASE_EXPANDS,
      filters: {
        folder_id: Type.Optional(CsvIds),
        template_id: Type.Optional(CsvIds),
        state_id: Type.Optional(CsvIds),
        status_id: Type.Optional(CsvIds),
        created_after: Type.Optional(QueryDatetime),
        created_before: Type.Optional(QueryDatetime),
        created_by: Type.Optional(CsvIds),
        has_automation: Type.Optional(QueryBoolean),
        has_automation_status: Type.Optional(QueryBoolean),
      },
    }),
    response: { 200: Page(RepositoryCase), ...errors },
  },
  create: {
    operationId: "createCases",
    tags: ["Repository cases"],
    params: ProjectParams,
    body: CreateRepositoryCase,
    response: { 201: CaseResultList, ...errors },
  },
  update: {
    operationId: "updateCases",
    tags: ["Repository cases"],
    params: ProjectParams,
    body: UpdateRepositoryCase,
    response: { 200: CaseResultList, ...errors },
  },
  delete: {
    operationId: "deleteCases",
    tags: ["Repository cases"],
    params: ProjectParams,
    body: DeleteRepositoryCases,
    response: { 204: Type.Null({ description: "No content" }), ...errors },
  },
};
