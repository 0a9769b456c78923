import fs from "node:fs";
import path from "node:path";
import { ATTACHMENT_EXPANDS, type DeleteRepositoryCaseAttachments, MAX_FILES_PER_UPLOAD } from "@assay/api";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { ApiError, NotFoundError } from "../../errors.js";
import { csvIds, expandNames, pageEnvelope, pageRequest } from "../../lib/query.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { namedExpand } from "../../services/expands.js";
import {
  deleteAttachments,
  insertAttachments,
  listAttachments,
  newStorageKey,
  requireCaseIn,
  type StoredFile,
} from "../../services/repository.js";
import { FileStoreUnavailableError, removeFilesOfDeletedRows } from "../../storage/files/index.js";
import type { Database } from "../../storage/schema.js";
import { presentAttachment } from "./presenter.js";
import { parserLimits, type ReceivedFile, receiveFiles } from "./receive.js";
import { type AttachmentListQuery, schemas } from "./schema.js";

type CaseId = { case_id: number };

/**
 * Case attachments. Decisions (spec Open points 1, 24): uploads 201, delete
 * 204; `files[]` and `files` are both accepted for the multi-upload, files
 * beyond 20 are read and dropped; the whole request may be as large as the
 * server's body limit (ASSAY_MAX_BODY_MB) and carry at most
 * ASSAY_MAX_UPLOAD_FILES files, more is a 413 storing nothing; the declared
 * content type must be a valid `type/subtype` (missing →
 * application/octet-stream). Files are received into
 * `<ASSAY_DATA_DIR>/incoming/`, then kept in the file store (ctx.files: the
 * data directory or an S3 bucket), and are served by
 * `GET /api/v1/attachments/{id}/download` (an Assay extension) to users who
 * may view the case's project, always as a download. A store or database
 * failure is a 503 with Retry-After that leaves nothing behind. Multipart
 * requests are identified for Idempotency-Key replays by method and URL only.
 */
export async function attachmentRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;
  const { dataDir, maxBodyBytes, maxUploadFiles } = ctx.config;
  const store = ctx.files;
  const incomingDir = path.join(dataDir, "incoming");
  await removeStaleSpoolDirs(incomingDir);

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: parserLimits(maxBodyBytes, maxUploadFiles), throwFileSizeLimit: false });

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
          { caseId: kase.id, createdBy: csvIds(q.created_by, "created_by") },
          { offset: page.offset, limit: page.perPage, order: q.order ?? "desc" },
        );
        const expands = requested.has("users") ? await usersExpand(rows.map((r) => r.created_by)) : {};
        return pageEnvelope(page, total, rows.map(presentAttachment), expands);
      },
    );

    async function upload(request: FastifyRequest<{ Params: CaseId }>, reply: FastifyReply, fields: string[]) {
      const kase = await requireCaseIn(db, request.access, request.params.case_id, "repository");
      const keep = fields.includes("file") ? 1 : MAX_FILES_PER_UPLOAD;
      const spoolDir = await makeSpoolDir();
      try {
        const received = await receiveFiles(
          request,
          { fields, keep, maxFiles: maxUploadFiles, maxBytes: maxBodyBytes },
          spoolDir,
        );
        const files = await storeFiles(received);
        return await insertRows(request, reply, kase, files);
      } finally {
        await fs.promises.rm(spoolDir, { recursive: true, force: true });
      }
    }

    async function makeSpoolDir(): Promise<string> {
      try {
        await fs.promises.mkdir(incomingDir, { recursive: true });
        return await fs.promises.mkdtemp(path.join(incomingDir, "upload-"));
      } catch (error) {
        throw new FileStoreUnavailableError(
          `The upload could not be received: the server cannot write to its data directory (${(error as NodeJS.ErrnoException).code}). Nothing was stored; retry later.`,
        );
      }
    }

    /** All files into the store, or none: a failure removes those already stored. */
    async function storeFiles(received: ReceivedFile[]): Promise<StoredFile[]> {
      const files: StoredFile[] = [];
      try {
        for (const file of received) {
          const storageKey = newStorageKey();
          await store.put(storageKey, { path: file.spooled }, file.mimeType);
          files.push({ name: file.name, mimeType: file.mimeType, size: file.size, storageKey });
        }
        return files;
      } catch (error) {
        await forget(files);
        throw error;
      }
    }

    async function insertRows(
      request: FastifyRequest,
      reply: FastifyReply,
      kase: { id: number; project_id: number },
      files: StoredFile[],
    ) {
      let result: Awaited<ReturnType<typeof mutate>>;
      try {
        result = await mutate(app, request, async (trx) => {
          const rows = await insertAttachments(trx, request.user.id, kase, files);
          return {
            status: 201,
            body: { result: rows.map(presentAttachment), expands: await usersExpand([request.user.id], trx) },
          };
        });
      } catch (error) {
        await forget(files);
        if (error instanceof ApiError) throw error;
        request.log.error({ err: error }, "attachment rows could not be saved");
        throw new FileStoreUnavailableError(
          "The attachments could not be saved: the database failed (a server fault, not a problem with the files). Nothing was stored; retry later.",
        );
      }
      // A replayed Idempotency-Key answers with the first upload's rows: drop this upload's files.
      const keys = files.map((f) => f.storageKey);
      // If this check fails, keeping the files (maybe orphans) beats losing a committed upload's.
      const kept = await db
        .selectFrom("case_attachments")
        .select("storage_key")
        .where("storage_key", "in", keys)
        .execute()
        .catch(() => files.map((f) => ({ storage_key: f.storageKey })));
      const keptKeys = new Set(kept.map((r) => r.storage_key));
      await forget(files.filter((f) => !keptKeys.has(f.storageKey)));
      return sendResult(reply, result);
    }

    /** Removes stored files no row refers to; a failure is logged, as the request's own error matters more. */
    async function forget(files: StoredFile[]): Promise<void> {
      await removeFilesOfDeletedRows(
        store,
        app.log,
        files.map((f) => f.storageKey),
      );
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
        await removeFilesOfDeletedRows(store, request.log, keys);
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
        const file = await store.open(row.storage_key);
        if (!file) {
          throw new NotFoundError(
            `The file of attachment ${id} is missing from the server's storage. Upload it again.`,
          );
        }
        return reply
          .header("content-type", row.mime_type)
          .header("content-length", String(file.size))
          .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`)
          .header("x-content-type-options", "nosniff")
          .header("content-security-policy", "sandbox; default-src 'none'")
          .send(file.stream);
      },
    );
  });
}

/** A day is far longer than any upload: such spool directories were left by a process that stopped mid-upload. */
const STALE_SPOOL_MS = 24 * 3600 * 1000;

/** Best effort at start: other instances sharing the directory may be receiving uploads right now. */
async function removeStaleSpoolDirs(incomingDir: string): Promise<void> {
  const entries = await fs.promises.readdir(incomingDir).catch(() => [] as string[]);
  const staleBefore = Date.now() - STALE_SPOOL_MS;
  for (const entry of entries) {
    const dir = path.join(incomingDir, entry);
    const stat = await fs.promises.stat(dir).catch(() => null);
    if (stat && stat.mtimeMs < staleBefore) await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}
