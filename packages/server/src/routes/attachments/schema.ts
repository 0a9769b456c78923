import {
  ATTACHMENT_EXPANDS,
  Attachment,
  AttachmentResultList,
  CsvIds,
  DeleteRepositoryCaseAttachments,
  ErrorCollection,
  idParams,
  listQuery,
  Page,
} from "@assay/api";
import Type from "typebox";

export const CaseParams = idParams("case_id");
export const AttachmentParams = idParams("attachment_id");

export interface AttachmentListQuery {
  page?: number;
  per_page?: number;
  expands?: string;
  order?: "asc" | "desc";
  created_by?: string;
}

const errors = {
  401: ErrorCollection,
  403: ErrorCollection,
  404: ErrorCollection,
  413: ErrorCollection,
  422: ErrorCollection,
  503: ErrorCollection,
};

const binary = { type: "string", format: "binary" };

/** Multipart bodies are read by the handler; `multipartBody` documents them for OpenAPI only (see app.ts). */
const upload = (description: string, multipartBody: object) => ({
  consumes: ["multipart/form-data"],
  description,
  multipartBody,
  params: CaseParams,
  response: { 201: AttachmentResultList, ...errors },
});

export const schemas = {
  list: {
    operationId: "getCaseAttachmentsPage",
    tags: ["Case attachments"],
    params: CaseParams,
    querystring: listQuery({
      sortable: false,
      expands: ATTACHMENT_EXPANDS,
      filters: { created_by: Type.Optional(CsvIds) },
    }),
    response: { 200: Page(Attachment), ...errors },
  },
  create: {
    operationId: "createCaseAttachments",
    tags: ["Case attachments"],
    ...upload("Upload 1 to 20 files in the multipart field `files[]` (`files` is accepted too); more are ignored.", {
      type: "object",
      required: ["files[]"],
      properties: { "files[]": { type: "array", items: binary, minItems: 1, maxItems: 20 } },
    }),
  },
  createSingle: {
    operationId: "createCaseAttachment",
    tags: ["Case attachments"],
    ...upload("Upload exactly one file in the multipart field `file`.", {
      type: "object",
      required: ["file"],
      properties: { file: binary },
    }),
  },
  delete: {
    operationId: "deleteCaseAttachments",
    tags: ["Case attachments"],
    params: CaseParams,
    body: DeleteRepositoryCaseAttachments,
    response: { 204: Type.Null({ description: "No content" }), ...errors },
  },
  download: {
    operationId: "downloadAttachment",
    tags: ["Case attachments"],
    summary: "Assay extension (not part of Testmo's API): the file of an attachment",
    params: AttachmentParams,
    response: {
      200: {
        description: "The file, as uploaded, with its content type and as an attachment download",
        content: { "*/*": { schema: { type: "string", format: "binary" } } },
      },
      401: ErrorCollection,
      403: ErrorCollection,
      404: ErrorCollection,
      503: ErrorCollection,
    },
  },
};
