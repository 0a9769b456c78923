import { CreateInvite, ErrorCollection, InviteResult } from "@assay/api";

/** Inviting users to the web UI (`/api/v1/x/invites`, Assay's extension, not Testmo's API). Administrators only. */
const tags = ["Invites"];

export const schemas = {
  create: {
    operationId: "assayCreateInvite",
    tags,
    summary: "Invite a user (created when the e-mail is new) with a one-time link valid 7 days",
    body: CreateInvite,
    response: { 201: InviteResult, 401: ErrorCollection, 403: ErrorCollection, 422: ErrorCollection },
  },
};
