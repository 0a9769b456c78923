import { ErrorCollection, OneTimeLinkResult, SetPassword, SignIn, WebSessionResult } from "@assay/api";
import Type from "typebox";

/**
 * Signing in to the web UI (`/api/v1/x/auth/…`, Assay's extension, not
 * Testmo's API). No API token needed: these set and end the session cookie.
 */
const tags = ["Authentication"];
const noContent = { 204: Type.Null({ description: "No content" }) };
/** Answered without a bearer token (the session cookie, when there is one, is read). */
const open = { security: [] };

export const LinkParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

export const schemas = {
  signIn: {
    operationId: "assaySignIn",
    tags,
    ...open,
    summary: "Sign in with e-mail and password; sets the assay_session cookie",
    body: SignIn,
    response: {
      200: WebSessionResult,
      401: ErrorCollection,
      403: ErrorCollection,
      422: ErrorCollection,
      429: ErrorCollection,
    },
  },
  session: {
    operationId: "assayGetSession",
    tags,
    ...open,
    summary: "The signed-in user and the session's CSRF token",
    response: { 200: WebSessionResult, 401: ErrorCollection },
  },
  signOut: {
    operationId: "assaySignOut",
    tags,
    ...open,
    summary: "End this session and clear the cookie",
    response: { ...noContent, 403: ErrorCollection },
  },
  signOutEverywhere: {
    operationId: "assaySignOutEverywhere",
    tags,
    summary: "End every web session of the signed-in user (cookie or API token)",
    response: {
      ...noContent,
      401: ErrorCollection,
      403: ErrorCollection,
    },
  },
  setPassword: {
    operationId: "assaySetPassword",
    tags,
    ...open,
    summary: "Set a password with a one-time link (invite or reset) and sign in",
    body: SetPassword,
    response: {
      200: WebSessionResult,
      403: ErrorCollection,
      404: ErrorCollection,
      410: ErrorCollection,
      422: ErrorCollection,
    },
  },
  link: {
    operationId: "assayGetOneTimeLink",
    tags,
    ...open,
    summary: "Whom a one-time link is for",
    params: LinkParams,
    response: {
      200: OneTimeLinkResult,
      404: ErrorCollection,
      410: ErrorCollection,
    },
  },
};
