import Type, { type Static } from "typebox";
import { Datetime, Id, NullableDatetime } from "./common.js";

/**
 * Assay extension (not Testmo): administrators create and edit issue trackers
 * (`/api/v1/x/issue-integrations`). Testmo's API only reads them
 * (`GET /api/v1/issues/connections`). `type` uses the same numbers as
 * `integration_type` there: 1 Custom, 2 GitHub, 3 GitLab, 4 Jira.
 */

const Name = Type.String({ minLength: 1, maxLength: 255, pattern: "\\S" });
const IntegrationType = Type.Integer({
  minimum: 1,
  maximum: 4,
  description: "1 Custom, 2 GitHub, 3 GitLab, 4 Jira (INTEGRATION_TYPES)",
});

/** An external project (GitHub/GitLab repository, Jira project); `key` is Jira's project key. */
export const ExternalProjectInput = Type.Object(
  { name: Name, key: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])) },
  { additionalProperties: false },
);
export type ExternalProjectInput = Static<typeof ExternalProjectInput>;

/** A connection (GitHub organisation, GitLab group, Jira site) and its external projects. */
export const IssueConnectionInput = Type.Object(
  { name: Name, projects: Type.Array(ExternalProjectInput, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type IssueConnectionInput = Static<typeof IssueConnectionInput>;

/** `POST /api/v1/x/issue-integrations`: Custom trackers take no connections, the others need at least one. */
export const CreateIssueIntegration = Type.Object(
  {
    type: IntegrationType,
    name: Name,
    is_active: Type.Optional(Type.Boolean()),
    connections: Type.Optional(Type.Array(IssueConnectionInput, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type CreateIssueIntegration = Static<typeof CreateIssueIntegration>;

/**
 * `PATCH /api/v1/x/issue-integrations/{id}`: rename, (de)activate, add
 * connections or add projects to an existing connection. Nothing is removed
 * here, so issues already linked keep their tracker and project.
 */
export const UpdateIssueIntegration = Type.Object(
  {
    name: Type.Optional(Name),
    is_active: Type.Optional(Type.Boolean()),
    add_connections: Type.Optional(Type.Array(IssueConnectionInput, { maxItems: 100 })),
    add_projects: Type.Optional(
      Type.Array(
        Type.Object(
          {
            connection_id: Id,
            name: Name,
            key: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        { maxItems: 500 },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateIssueIntegration = Static<typeof UpdateIssueIntegration>;

export const IssueIntegration = Type.Object({
  id: Id,
  type: IntegrationType,
  name: Type.String(),
  is_active: Type.Boolean(),
  created_at: Datetime,
  updated_at: NullableDatetime,
  connections: Type.Array(
    Type.Object({
      id: Id,
      name: Type.String(),
      projects: Type.Array(Type.Object({ id: Id, name: Type.String(), key: Type.Union([Type.String(), Type.Null()]) })),
    }),
  ),
});
export type IssueIntegration = Static<typeof IssueIntegration>;
