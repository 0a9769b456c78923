import Type, { type Static } from "typebox";
import { Datetime, Id, NullableDatetime } from "./common.js";
import { ROLE_KEYS } from "./users.js";

/**
 * Assay extension (not Testmo): administration under `/api/v1/x/` — editing
 * users, groups and projects, reading a project's access overrides and every
 * user's API tokens. Administrators only.
 */

const Name = Type.String({ minLength: 1, maxLength: 255, pattern: "\\S" });
const RoleKeyOrNone = Type.Union([Type.Enum([...ROLE_KEYS]), Type.Null()]);

/** `PATCH /api/v1/x/users/{id}`: deactivating signs the user out everywhere; their tokens stop working. */
export const UpdateUser = Type.Object(
  {
    name: Type.Optional(Name),
    role: Type.Optional(Type.Enum([...ROLE_KEYS])),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUser = Static<typeof UpdateUser>;

/** `PATCH /api/v1/x/groups/{id}` */
export const UpdateGroup = Type.Object({ name: Name }, { additionalProperties: false });
export type UpdateGroup = Static<typeof UpdateGroup>;

/** `POST /api/v1/x/projects` */
export const CreateProject = Type.Object(
  {
    name: Name,
    note: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateProject = Static<typeof CreateProject>;

/** `PATCH /api/v1/x/projects/{id}`: `is_completed: true` archives the project, false reopens it. */
export const UpdateProject = Type.Object(
  {
    name: Type.Optional(Name),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
    is_completed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateProject = Static<typeof UpdateProject>;

/** One override of a project's access: a role key, or null for "no access". */
export const UserAccess = Type.Object({ user_id: Id, name: Type.String(), role: RoleKeyOrNone });
export type UserAccess = Static<typeof UserAccess>;
export const GroupAccess = Type.Object({ group_id: Id, name: Type.String(), role: RoleKeyOrNone });
export type GroupAccess = Static<typeof GroupAccess>;

/**
 * `GET /api/v1/x/projects/{id}/access`: the project's overrides. `default` is
 * the project default for everyone without a user or group override (absent:
 * everyone's global role applies).
 */
export const ProjectAccess = Type.Object({
  project_id: Id,
  default: Type.Union([Type.Object({ role: RoleKeyOrNone }), Type.Null()]),
  users: Type.Array(UserAccess),
  groups: Type.Array(GroupAccess),
});
export type ProjectAccess = Static<typeof ProjectAccess>;
export const ProjectAccessResult = Type.Object({ result: ProjectAccess });
export type ProjectAccessResult = Static<typeof ProjectAccessResult>;

/** An active API token of any user, as administrators see it (never the token itself). */
export const UserApiToken = Type.Object({
  id: Id,
  user_id: Id,
  user_name: Type.String(),
  name: Type.String(),
  created_at: Datetime,
  last_used_at: NullableDatetime,
});
export type UserApiToken = Static<typeof UserApiToken>;
export const UserApiTokenList = Type.Object({ result: Type.Array(UserApiToken) });
export type UserApiTokenList = Static<typeof UserApiTokenList>;

/** `GET /api/v1/x/tokens?user_id=`: filter to one user's tokens. */
export const UserApiTokenQuery = Type.Object({ user_id: Type.Optional(Id) }, { additionalProperties: false });
export type UserApiTokenQuery = Static<typeof UserApiTokenQuery>;
