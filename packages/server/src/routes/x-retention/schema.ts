import { ErrorCollection, Id, idParams, MAX_INTEGER, NullableId, RetentionPolicy } from "@assay/api";
import Type, { type Static } from "typebox";

/**
 * Retention (`/api/v1/x/…`, Assay's extension, not Testmo's API): the
 * policies of a project, and a pass run now. The rule is in docs/analytics.md,
 * "Retention".
 */
const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };
const Count = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });

export const ProjectParams = idParams("project_id");

/** One policy as sent: keep_days and keep_runs may be left out (null); at least one of them is needed. */
export const RetentionPolicyInput = Type.Object(
  {
    source_id: NullableId,
    keep_days: Type.Optional(RetentionPolicy.properties.keep_days),
    keep_runs: Type.Optional(RetentionPolicy.properties.keep_runs),
  },
  { additionalProperties: false },
);

export const SetRetentionPolicies = Type.Object(
  { policies: Type.Array(RetentionPolicyInput, { maxItems: 1000 }) },
  { additionalProperties: false },
);
export type SetRetentionPolicies = Static<typeof SetRetentionPolicies>;

export const RunRetention = Type.Object(
  {
    /** only report what a pass would remove, changing nothing */
    dry_run: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RunRetention = Static<typeof RunRetention>;

export const RetentionRemoval = Type.Object({
  project_id: Id,
  project_name: Type.String(),
  source_id: Id,
  source_name: Type.String(),
  /** the policy applied: the source's own, or the project-wide one (source_id null) */
  policy: RetentionPolicy,
  runs: Count,
  tests: Count,
});

export const RetentionReport = Type.Object({
  dry_run: Type.Boolean(),
  /** automation runs removed (or, dry, that would be) */
  runs: Count,
  tests: Count,
  /** sources with something to remove, project by project */
  sources: Type.Array(RetentionRemoval),
});

const Policies = Type.Object({ result: Type.Array(RetentionPolicy) });

export const schemas = {
  get: {
    operationId: "assayGetRetentionPolicies",
    tags,
    params: ProjectParams,
    response: { 200: Policies, ...errors },
  },
  put: {
    operationId: "assaySetRetentionPolicies",
    tags,
    params: ProjectParams,
    body: SetRetentionPolicies,
    response: { 200: Policies, ...errors },
  },
  run: {
    operationId: "assayRunRetention",
    tags,
    body: RunRetention,
    response: {
      200: Type.Object({ result: RetentionReport }),
      401: ErrorCollection,
      403: ErrorCollection,
      409: ErrorCollection,
      422: ErrorCollection,
      503: ErrorCollection,
    },
  },
};
