import {
  CreatedManualRunResult,
  CreateManualRunResult,
  ErrorCollection,
  idParams,
  RunResultAttachmentResult,
} from "@assay/api";

const tags = ["Assay extensions (not Testmo API)"];
const errors = { 401: ErrorCollection, 403: ErrorCollection, 404: ErrorCollection, 422: ErrorCollection };

export const schemas = {
  create: {
    operationId: "assayAddManualRunResult",
    tags,
    summary: "Add a result to a test of a manual run: status, comment, elapsed time and issues",
    params: idParams("run_id"),
    body: CreateManualRunResult,
    response: { 201: CreatedManualRunResult, ...errors },
  },
  upload: {
    operationId: "assayAddRunResultAttachment",
    tags,
    summary: "Attach one file (a screenshot, a log) to a run result",
    consumes: ["multipart/form-data"],
    description: "Send exactly one file in the multipart field `file`.",
    multipartBody: {
      type: "object",
      required: ["file"],
      properties: { file: { type: "string", format: "binary" } },
    },
    params: idParams("run_result_id"),
    response: {
      201: RunResultAttachmentResult,
      ...errors,
      413: ErrorCollection,
      503: ErrorCollection,
    },
  },
  download: {
    operationId: "assayDownloadRunResultAttachment",
    tags,
    summary: "The file of a run result attachment",
    params: idParams("run_result_attachment_id"),
    response: {
      200: {
        description: "The file, as uploaded, as an attachment download",
        content: { "*/*": { schema: { type: "string", format: "binary" } } },
      },
      401: ErrorCollection,
      403: ErrorCollection,
      404: ErrorCollection,
      503: ErrorCollection,
    },
  },
};
