import { CreateProject, ErrorCollection, idParams, Project, ProjectAccessResult, Row, UpdateProject } from "@assay/api";

/**
 * Projects and their access (`/api/v1/x/projects/…`, Assay's extension, not
 * Testmo's API, whose projects are read-only). Administrators only.
 */
const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  create: {
    operationId: "assayCreateProject",
    tags,
    summary: "Create a project",
    body: CreateProject,
    response: { 201: Row(Project), ...errors },
  },
  update: {
    operationId: "assayUpdateProject",
    tags,
    summary: "Rename a project, change its note, archive (is_completed: true) or reopen it",
    params: idParams("project_id"),
    body: UpdateProject,
    response: { 200: Row(Project), ...errors },
  },
  access: {
    operationId: "assayGetProjectAccess",
    tags,
    summary: "A project's access overrides: its default, and each user's and group's role or no access",
    params: idParams("project_id"),
    response: { 200: ProjectAccessResult, ...errors },
  },
};
