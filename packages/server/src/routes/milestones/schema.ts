import {
  CsvIds,
  CsvNames,
  ErrorCollection,
  idParams,
  listQuery,
  MILESTONE_EXPANDS,
  MILESTONE_SORTS,
  Milestone,
  Page,
  QueryBoolean,
  QueryDatetime,
  Row,
} from "@assay/api";
import Type from "typebox";

const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export interface MilestoneListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  sort?: (typeof MILESTONE_SORTS)[number];
  order?: "asc" | "desc";
  automation_tags?: string;
  completed_after?: string;
  completed_before?: string;
  created_after?: string;
  created_before?: string;
  created_by?: string;
  is_completed?: string;
  parent_id?: string;
  root_id?: string;
  type_id?: string;
}

export const schemas = {
  list: {
    operationId: "getMilestonePage",
    tags: ["Milestones"],
    params: idParams("project_id"),
    querystring: listQuery({
      sorts: MILESTONE_SORTS,
      expands: MILESTONE_EXPANDS,
      filters: {
        automation_tags: Type.Optional(CsvNames),
        completed_after: Type.Optional(QueryDatetime),
        completed_before: Type.Optional(QueryDatetime),
        created_after: Type.Optional(QueryDatetime),
        created_before: Type.Optional(QueryDatetime),
        created_by: Type.Optional(CsvIds),
        is_completed: Type.Optional(QueryBoolean),
        parent_id: Type.Optional(CsvIds),
        root_id: Type.Optional(CsvIds),
        type_id: Type.Optional(CsvIds),
      },
    }),
    response: { 200: Page(Milestone), ...errors },
  },
  get: {
    operationId: "getMilestone",
    tags: ["Milestones"],
    params: idParams("milestone_id"),
    querystring: Type.Object({ expands: Type.Optional(Type.String()) }),
    response: { 200: Row(Milestone), ...errors },
  },
};
