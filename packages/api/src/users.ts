import Type, { type Static } from "typebox";
import { Datetime, Id, MAX_INTEGER, NullableDatetime, NullableId } from "./common.js";

/** `created_by` of objects the installation made itself (seeded roles, the first administrator) is 0. */
const Creator = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });

/** Testmo's `User`. `type` and `notifications` are opaque codes (spec §8 point 23): Assay sends 1. */
export const User = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  type: Type.Integer(),
  timezone: Type.String(),
  date_format: Type.String(),
  time_format: Type.String(),
  notifications: Type.Integer({ enum: [1, 2, 3] }),
  tfa_enabled: Type.Boolean(),
  is_active: Type.Boolean(),
  is_forgotten: Type.Boolean(),
  is_api: Type.Boolean(),
  role_id: Id,
  groups: Type.Array(Id),
  created_at: Datetime,
  created_by: Creator,
  updated_at: NullableDatetime,
  updated_by: NullableId,
});
export type User = Static<typeof User>;

export const Group = Type.Object({
  id: Id,
  name: Type.String(),
  members: Type.Array(Id),
  created_at: Datetime,
  created_by: Creator,
  updated_at: NullableDatetime,
  updated_by: NullableId,
});
export type Group = Static<typeof Group>;

/** Testmo's `Role`; `permissions` is Assay's bit set (view 1, automation 2, results 4, repository 8, runs 16, project 32, admin 64). */
export const Role = Type.Object({
  id: Id,
  name: Type.String(),
  permissions: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  is_default: Type.Boolean(),
  created_at: Datetime,
  created_by: Creator,
  updated_at: NullableDatetime,
  updated_by: NullableId,
});
export type Role = Static<typeof Role>;

/** Item of `GET /projects/{project_id}/users`. */
export const ProjectUser = Type.Object({ id: Id, name: Type.String() });
export type ProjectUser = Static<typeof ProjectUser>;

export const USER_EXPANDS = ["groups", "roles", "users"] as const;
export const GROUP_EXPANDS = ["users"] as const;
export const ROLE_EXPANDS = ["users"] as const;

/** Global role names accepted by the management command and the `/x` extension. */
export const ROLE_KEYS = ["administrator", "project-manager", "tester", "read-only"] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

/** Assay extension (not Testmo): `POST /api/v1/x/users`. */
export const CreateUser = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: "^[^@\\s]+@[^@\\s]+$" }),
    name: Type.String({ minLength: 1, maxLength: 255 }),
    role: Type.Optional(Type.Enum([...ROLE_KEYS])),
    is_api: Type.Optional(Type.Boolean()),
    /** also create an API token with this name; the token is returned once */
    token_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type CreateUser = Static<typeof CreateUser>;

export const CreatedUser = Type.Object({ id: Id, token: Type.Optional(Type.String()) });
export type CreatedUser = Static<typeof CreatedUser>;

/** Assay extension (not Testmo): `POST /api/v1/x/groups`. */
export const CreateGroup = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 255 }),
    members: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type CreateGroup = Static<typeof CreateGroup>;

/** Assay extension (not Testmo): `POST /api/v1/x/groups/{id}/members`. */
export const AddGroupMembers = Type.Object(
  { user_ids: Type.Array(Id, { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type AddGroupMembers = Static<typeof AddGroupMembers>;

/**
 * Assay extension (not Testmo): `PUT /api/v1/x/projects/{id}/access`. Exactly
 * one target: `user_id`, `group_id`, or `default: true` (everyone without a
 * user or group override). `role` null means "no access"; `"global"` removes
 * the override so the global role (or the next rule) applies again.
 */
export const SetProjectAccess = Type.Object(
  {
    user_id: Type.Optional(Id),
    group_id: Type.Optional(Id),
    default: Type.Optional(Type.Boolean()),
    role: Type.Union([Type.Enum([...ROLE_KEYS, "global"]), Type.Null()]),
  },
  { additionalProperties: false },
);
export type SetProjectAccess = Static<typeof SetProjectAccess>;

/** Names of the permission bits of `Role.permissions`, in bit order (Assay's extension). */
export const PERMISSION_NAMES = [
  "view",
  "automation",
  "results",
  "repository",
  "manage_runs",
  "manage_project",
  "admin",
] as const;
export type PermissionKey = (typeof PERMISSION_NAMES)[number];

/** `GET /x/projects/{project_id}/permissions`: what the caller may do in one project. */
export const ProjectPermissions = Type.Object({
  project_id: Id,
  /** the effective bit set, after user, group and project overrides */
  permissions: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  /** the same bits by name */
  allowed: Type.Array(
    Type.Union([
      Type.Literal("view"),
      Type.Literal("automation"),
      Type.Literal("results"),
      Type.Literal("repository"),
      Type.Literal("manage_runs"),
      Type.Literal("manage_project"),
      Type.Literal("admin"),
    ]),
  ),
});
export type ProjectPermissions = Static<typeof ProjectPermissions>;
export const ProjectPermissionsResult = Type.Object({ result: ProjectPermissions });
