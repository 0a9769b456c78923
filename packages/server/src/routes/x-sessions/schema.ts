import {
  CreateSession,
  CreateSessionResult,
  ErrorCollection,
  idParams,
  SessionAttachmentList,
  SessionRecordingResult,
  SessionResultCreated,
  SessionResultList,
  UpdateSession,
} from "@assay/api";

/** Recording exploratory sessions (`/api/v1/x/…`, Assay's extension, not Testmo's API). */
const tags = ["Sessions (Assay)"];
const SessionParams = idParams("session_id");
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  create: {
    operationId: "assayCreateSession",
    tags,
    summary: "Start recording an exploratory session in a project (needs the results permission)",
    params: idParams("project_id"),
    body: CreateSession,
    response: { 201: SessionRecordingResult, ...errors },
  },
  get: {
    operationId: "assayGetSessionRecording",
    tags,
    summary: "A session with its charter, notes and timer",
    params: SessionParams,
    response: { 200: SessionRecordingResult, ...errors },
  },
  update: {
    operationId: "assayUpdateSession",
    tags,
    summary: "Edit an open session: name, charter, notes, milestone, assignee, tags; start or pause its timer",
    params: SessionParams,
    body: UpdateSession,
    response: { 200: SessionRecordingResult, ...errors },
  },
  close: {
    operationId: "assayCloseSession",
    tags,
    summary: "Close a session (a running timer is paused first); it then accepts no more changes",
    params: SessionParams,
    response: { 200: SessionRecordingResult, ...errors },
  },
  results: {
    operationId: "assayGetSessionResults",
    tags,
    summary: "The findings of a session, oldest first",
    params: SessionParams,
    response: { 200: SessionResultList, ...errors },
  },
  addResult: {
    operationId: "assayAddSessionResult",
    tags,
    summary: "Add a finding (a status and a plain-text note) to an open session",
    params: SessionParams,
    body: CreateSessionResult,
    response: { 201: SessionResultCreated, ...errors },
  },
  attachments: {
    operationId: "assayGetSessionAttachments",
    tags,
    summary: "Files attached to a session, oldest first",
    params: SessionParams,
    response: { 200: SessionAttachmentList, ...errors },
  },
  addAttachment: {
    operationId: "assayAddSessionAttachment",
    tags,
    summary: "Attach one file (multipart field `file`) to an open session",
    consumes: ["multipart/form-data"],
    description: "Upload exactly one file in the multipart field `file`.",
    multipartBody: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" } } },
    params: SessionParams,
    response: { 201: SessionAttachmentList, ...errors, 413: ErrorCollection, 503: ErrorCollection },
  },
  download: {
    operationId: "assayDownloadSessionAttachment",
    tags,
    summary: "The file of a session attachment, always as a download",
    params: idParams("attachment_id"),
    response: {
      200: {
        description: "The file, as uploaded, with its content type and as an attachment download",
        content: { "*/*": { schema: { type: "string", format: "binary" } } },
      },
      ...errors,
      503: ErrorCollection,
    },
  },
};
