import { ErrorCollection, idParams, ProjectPermissionsResult } from "@assay/api";

/** `/api/v1/x/projects/{project_id}/permissions` (Assay's extension): what the caller may do in a project. */
export const schemas = {
  get: {
    operationId: "assayGetProjectPermissions",
    tags: ["Assay extensions (not Testmo API)"],
    summary:
      "Your effective permissions in a project (role, group and project overrides applied), so a client can check before it acts",
    params: idParams("project_id"),
    response: { 200: ProjectPermissionsResult, 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection },
  },
};
