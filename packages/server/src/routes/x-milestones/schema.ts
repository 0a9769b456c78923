import {
  CreateMilestone,
  ErrorCollection,
  idParams,
  Milestone,
  MilestoneProgressResult,
  UpdateMilestone,
} from "@assay/api";
import Type from "typebox";

/** Creating, editing and following milestones (`/api/v1/x/…`, Assay's extension, not Testmo's API). */
const tags = ["Milestones (Assay)"];
const MilestoneParams = idParams("milestone_id");
const MilestoneResult = Type.Object({ result: Milestone });
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  create: {
    operationId: "assayCreateMilestone",
    tags,
    summary: "Create a milestone; automation runs created later with one of its automation tags link to it",
    params: idParams("project_id"),
    body: CreateMilestone,
    response: { 201: MilestoneResult, ...errors },
  },
  update: {
    operationId: "assayUpdateMilestone",
    tags,
    summary: "Edit a milestone: name, description, dates, automation tags; start, complete or reopen it",
    params: MilestoneParams,
    body: UpdateMilestone,
    response: { 200: MilestoneResult, ...errors },
  },
  progress: {
    operationId: "assayGetMilestoneProgress",
    tags,
    summary: "Progress of a milestone across its manual runs, sessions and automation runs",
    params: MilestoneParams,
    response: { 200: MilestoneProgressResult, ...errors },
  },
};
