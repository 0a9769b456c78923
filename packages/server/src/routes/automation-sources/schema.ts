import {
  AUTOMATION_SOURCE_EXPANDS,
  AutomationSource,
  ErrorCollection,
  idParams,
  listQuery,
  Page,
  QueryBoolean,
  Row,
} from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const SOURCE_SORTS = [
  "automation_sources:created_at",
  "automation_sources:ran_at",
  "automation_sources:retired_at",
] as const;

export interface SourceListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: (typeof SOURCE_SORTS)[number];
  order?: "asc" | "desc";
  is_retired?: string;
}

export const schemas = {
  list: {
    operationId: "getAutomationSourcePage",
    tags: ["Automation sources"],
    params: idParams("project_id"),
    querystring: listQuery({
      sorts: SOURCE_SORTS,
      expands: AUTOMATION_SOURCE_EXPANDS,
      filters: { is_retired: Type.Optional(QueryBoolean) },
    }),
    response: { 200: Page(AutomationSource), ...errors },
  },
  get: {
    operationId: "getAutomationSource",
    tags: ["Automation sources"],
    params: idParams("automation_source_id"),
    querystring: Type.Object({ expands: Type.Optional(Type.String()) }),
    response: { 200: Row(AutomationSource), ...errors },
  },
};
