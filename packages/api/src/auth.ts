import Type, { type Static } from "typebox";
import { Datetime, Id, NullableDatetime } from "./common.js";
import { ROLE_KEYS } from "./users.js";

/**
 * Assay extension (not Testmo): signing in to the web UI, one-time links
 * (invites and password resets), invites and a user's own API tokens, under
 * `/api/v1/x/`. Sessions live in the database; the browser holds only the
 * session cookie. Requests made with the cookie that change something
 * (POST/PUT/PATCH/DELETE) must send `X-CSRF-Token` and an `Origin` of the server.
 */

/** The HttpOnly cookie that carries the session secret. */
export const SESSION_COOKIE = "assay_session";
/** Header carrying the session's `csrf_token` on cookie-authenticated writes. */
export const CSRF_HEADER = "X-CSRF-Token";
/** Password rule: this many characters at least and at most (any characters; no other rule). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

const Email = Type.String({ minLength: 3, maxLength: 254, pattern: "^[^@\\s]+@[^@\\s]+$" });

/** `POST /api/v1/x/auth/sign-in` */
export const SignIn = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
);
export type SignIn = Static<typeof SignIn>;

/** The signed-in user. `role` is the global role key; `is_admin` whether it may administer the installation. */
export const WebUser = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  role: Type.String({ description: `One of ${ROLE_KEYS.join(", ")}` }),
  is_admin: Type.Boolean(),
});
export type WebUser = Static<typeof WebUser>;

/** A session: its user and the token to send as `X-CSRF-Token` on writes. */
export const WebSession = Type.Object({ user: WebUser, csrf_token: Type.String() });
export type WebSession = Static<typeof WebSession>;

/** Answer of sign-in, `GET /x/auth/session` and `POST /x/auth/password`. */
export const WebSessionResult = Type.Object({ result: WebSession });
export type WebSessionResult = Static<typeof WebSessionResult>;

export const LINK_PURPOSES = ["invite", "password"] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/** `POST /api/v1/x/auth/password`: the one-time link's token and the new password. */
export const SetPassword = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({
      maxLength: PASSWORD_MAX_LENGTH,
      description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    }),
  },
  { additionalProperties: false },
);
export type SetPassword = Static<typeof SetPassword>;

/** `GET /api/v1/x/auth/links/{token}`: whom a one-time link is for (404 unknown, 410 used or expired). */
export const OneTimeLink = Type.Object({
  email: Type.String(),
  name: Type.String(),
  purpose: Type.Enum([...LINK_PURPOSES]),
  expires_at: Datetime,
});
export type OneTimeLink = Static<typeof OneTimeLink>;
export const OneTimeLinkResult = Type.Object({ result: OneTimeLink });
export type OneTimeLinkResult = Static<typeof OneTimeLinkResult>;

/**
 * `POST /api/v1/x/invites` (administrators). A new e-mail creates the user with
 * `name` and `role` (default `tester`); an existing user keeps their name and role.
 */
export const CreateInvite = Type.Object(
  {
    email: Email,
    name: Type.String({ minLength: 1, maxLength: 255 }),
    role: Type.Optional(Type.Enum([...ROLE_KEYS])),
  },
  { additionalProperties: false },
);
export type CreateInvite = Static<typeof CreateInvite>;

/**
 * The link to hand to the user, valid 7 days, once. `purpose` is `invite`
 * (`<origin>/invite/<token>`) for a user without a password, `password`
 * (`<origin>/set-password/<token>`, a reset) for one who already has a password.
 */
export const Invite = Type.Object({
  user_id: Id,
  url: Type.String(),
  expires_at: Datetime,
  purpose: Type.Enum([...LINK_PURPOSES]),
});
export type Invite = Static<typeof Invite>;
export const InviteResult = Type.Object({ result: Invite });
export type InviteResult = Static<typeof InviteResult>;

/** One of the signed-in user's active API tokens (`GET /api/v1/x/me/tokens`); revoked ones are not listed. */
export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  created_at: Datetime,
  last_used_at: NullableDatetime,
});
export type ApiToken = Static<typeof ApiToken>;
export const ApiTokenList = Type.Object({ result: Type.Array(ApiToken) });
export type ApiTokenList = Static<typeof ApiTokenList>;

/** `POST /api/v1/x/me/tokens` */
export const CreateApiToken = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 255 }) },
  { additionalProperties: false },
);
export type CreateApiToken = Static<typeof CreateApiToken>;

/** The new token: `token` is shown only in this answer (the server keeps its SHA-256 digest). */
export const CreatedApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  created_at: Datetime,
  token: Type.String(),
});
export type CreatedApiToken = Static<typeof CreatedApiToken>;
export const CreatedApiTokenResult = Type.Object({ result: CreatedApiToken });
export type CreatedApiTokenResult = Static<typeof CreatedApiTokenResult>;
