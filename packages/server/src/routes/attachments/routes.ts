import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ATTACHMENT_EXPANDS, type DeleteRepositoryCaseAttachments, LIMITS, MAX_FILES_PER_UPLOAD } from "@assay/api";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { ApiError, InvalidDataError, invalidField, NotFoundError } from "../../errors.js";
import { csvIds, expandNames, pageEnvelope, pageRequest } from "../../lib/query.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { namedExpand } from "../../services/expands.js";
import {
  attachmentFile,
  attachmentsDir,
  deleteAttachments,
  insertAttachments,
  listAttachments,
  newStorageKey,
  removeAttachmentFiles,
  requireCaseIn,
  type StoredFile,
} from "../../services/repository.js";
import type { Database } from "../../storage/schema.js";
import { presentAttachment } from "./presenter.js";
import { type AttachmentListQuery, schemas } from "./schema.js";

type CaseId = { case_id: number };

/** `type/subtype` as RFC 6838 allows it; anything else is refused. */
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/**
 * Case attachments. Decisions (spec Open points 1, 24): uploads 201, delete
 * 204; `files[]` and `files` are both accepted for the multi-upload, files
 * beyond 20 are read and dropped; each file may be as large as the server's
 * body limit (ASSAY_MAX_BODY_MB), larger is a 413 storing nothing; the
 * declared content type must be a valid `type/subtype` (missing →
 * application/octet-stream). Files live under `<ASSAY_DATA_DIR>/attachments/`
 * and are served by `GET /api/v1/attachments/{id}/download` (an Assay
 * extension) to users who may view the case's project, always as a download.
 * Multipart requests are identified for Idempotency-Key replays by method and
 * URL only.
 */
export async function attachmentRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;
  const { dataDir, maxBodyBytes } = ctx.config;

  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: maxBodyBytes, files: 1000, fields: 100, parts: 1100 },
      throwFileSizeLimit: false,
    });

    async function usersExpand(userIds: (number | null)[], trx: Kysely<Database> = db) {
      return { users: await namedExpand(trx, "users", userIds) };
    }

    scope.get<{ Params: CaseId; Querystring: AttachmentListQuery }>(
      "/cases/:case_id/attachments",
      { schema: schemas.list },
      async (request) => {
        const q = request.query;
        const requested = expandNames(q.expands, ATTACHMENT_EXPANDS);
        const kase = await requireCaseIn(db, request.access, request.params.case_id, "view");
        const page = pageRequest(q);
        const { total, rows } = await listAttachments(
          db,
          { caseId: kase.id, createdBy: csvIds(q.created_by) },
          { offset: page.offset, limit: page.perPage, order: q.order ?? "desc" },
        );
        const expands = requested.has("users") ? await usersExpand(rows.map((r) => r.created_by)) : {};
        return pageEnvelope(page, total, rows.map(presentAttachment), expands);
      },
    );

    async function upload(request: FastifyRequest<{ Params: CaseId }>, reply: FastifyReply, fields: string[]) {
      const kase = await requireCaseIn(db, request.access, request.params.case_id, "repository");
      const max = fields.includes("file") ? 1 : MAX_FILES_PER_UPLOAD;
      const files = await receiveFiles(request, fields, max);
      try {
        const result = await mutate(app, request, async (trx) => {
          const rows = await insertAttachments(trx, request.user.id, kase, files);
          return {
            status: 201,
            body: { result: rows.map(presentAttachment), expands: await usersExpand([request.user.id], trx) },
          };
        });
        // A replayed Idempotency-Key answers with the first upload's rows: drop this upload's files.
        const kept = new Set(
          (
            await db
              .selectFrom("case_attachments")
              .select("storage_key")
              .where(
                "storage_key",
                "in",
                files.map((f) => f.storageKey),
              )
              .execute()
          ).map((r) => r.storage_key),
        );
        await removeAttachmentFiles(
          dataDir,
          files.map((f) => f.storageKey).filter((k) => !kept.has(k)),
        );
        return sendResult(reply, result);
      } catch (error) {
        await removeAttachmentFiles(
          dataDir,
          files.map((f) => f.storageKey),
        );
        throw unreadableBodyAsInvalid(error, fields[0]!);
      }
    }

    /**
     * A body the multipart parser cannot read (no boundary, cut short, malformed
     * headers) is the client's mistake: 422. Disk errors (they carry a syscall)
     * and our own ApiErrors pass through unchanged.
     */
    function unreadableBodyAsInvalid(error: unknown, field: string): unknown {
      if (error instanceof ApiError || (error instanceof Error && "syscall" in error)) return error;
      const reason = error instanceof Error ? error.message : String(error);
      return new InvalidDataError(
        `The multipart/form-data body could not be read (${reason}). Send a well-formed multipart body with the file in the field "${field}".`,
      );
    }

    /** Streams the files of the request to disk; on any failure, none stays. */
    async function receiveFiles(request: FastifyRequest, fields: string[], max: number): Promise<StoredFile[]> {
      if (!request.isMultipart()) {
        throw new InvalidDataError(
          `Send the file${max > 1 ? "s" : ""} as multipart/form-data in the field "${fields[0]}".`,
        );
      }
      await fs.promises.mkdir(attachmentsDir(dataDir), { recursive: true });
      const files: StoredFile[] = [];
      const unexpected = new Set<string>();
      try {
        for await (const part of request.parts()) {
          if (part.type !== "file") continue;
          if (!fields.includes(part.fieldname)) {
            unexpected.add(part.fieldname);
            part.file.resume();
            continue;
          }
          if (files.length >= max) {
            part.file.resume();
            continue;
          }
          const mimeType = part.mimetype || "application/octet-stream";
          if (!MIME_TYPE.test(mimeType)) {
            part.file.resume();
            throw invalidField(
              fields[0]!,
              `The content type "${mimeType.slice(0, 100)}" of "${part.filename}" is not a valid MIME type. Send type/subtype, e.g. image/png.`,
            );
          }
          const storageKey = newStorageKey();
          files.push({ name: fileName(part.filename), mimeType: mimeType.toLowerCase(), size: 0, storageKey });
          await pipeline(part.file, fs.createWriteStream(attachmentFile(dataDir, storageKey)));
          if (part.file.truncated) {
            throw new ApiError(
              413,
              `The file "${part.filename}" is larger than ${maxBodyBytes / 1024 / 1024} MB, the largest attachment this server accepts. Upload a smaller file.`,
            );
          }
          files[files.length - 1]!.size = (await fs.promises.stat(attachmentFile(dataDir, storageKey))).size;
        }
      } catch (error) {
        await removeAttachmentFiles(
          dataDir,
          files.map((f) => f.storageKey),
        );
        throw unreadableBodyAsInvalid(error, fields[0]!);
      }
      if (files.length === 0) {
        const also = unexpected.size > 0 ? ` (got files in ${[...unexpected].map((f) => `"${f}"`).join(", ")})` : "";
        throw invalidField(
          fields[0]!,
          `No file was uploaded in the multipart field "${fields[0]}"${also}. Send ${max > 1 ? `1 to ${max} files` : "one file"} in "${fields[0]}".`,
        );
      }
      return files;
    }

    scope.post<{ Params: CaseId }>("/cases/:case_id/attachments", { schema: schemas.create }, (request, reply) =>
      upload(request, reply, ["files[]", "files"]),
    );

    scope.post<{ Params: CaseId }>(
      "/cases/:case_id/attachments/single",
      { schema: schemas.createSingle },
      (request, reply) => upload(request, reply, ["file"]),
    );

    scope.delete<{ Params: CaseId; Body: DeleteRepositoryCaseAttachments }>(
      "/cases/:case_id/attachments",
      { schema: schemas.delete },
      async (request, reply) => {
        const kase = await requireCaseIn(db, request.access, request.params.case_id, "repository");
        let keys: string[] = [];
        const result = await mutate(app, request, async (trx) => {
          keys = await deleteAttachments(trx, kase.id, request.body.ids);
          return { status: 204 };
        });
        await removeAttachmentFiles(dataDir, keys);
        return sendResult(reply, result);
      },
    );

    scope.get<{ Params: { attachment_id: number } }>(
      "/attachments/:attachment_id/download",
      { schema: schemas.download },
      async (request, reply) => {
        const id = request.params.attachment_id;
        const row = await db.selectFrom("case_attachments").selectAll().where("id", "=", id).executeTakeFirst();
        if (!row) throw new NotFoundError(`Attachment ${id} does not exist.`);
        await request.access.requireIn(row.project_id, "view", "view repository cases");
        const file = attachmentFile(dataDir, row.storage_key);
        const stat = await fs.promises.stat(file).catch(() => null);
        if (!stat) {
          throw new NotFoundError(
            `The file of attachment ${id} is missing from the server's storage. Upload it again.`,
          );
        }
        return reply
          .header("content-type", row.mime_type)
          .header("content-length", String(stat.size))
          .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`)
          .header("x-content-type-options", "nosniff")
          .header("content-security-policy", "sandbox; default-src 'none'")
          .send(fs.createReadStream(file));
      },
    );
  });
}

/** The client's file name without any directory part, bounded in length. */
function fileName(raw: string | undefined): string {
  const base = path.basename((raw ?? "").replaceAll("\\", "/")).trim();
  return (base || "file").slice(0, LIMITS.string);
}
