import fs from "node:fs";
import path from "node:path";
import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ApiError, NotFoundError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { newStorageKey } from "../../services/repository.js";
import { FileStoreUnavailableError, removeFilesOfDeletedRows } from "../../storage/files/index.js";
import { parserLimits, receiveFiles } from "../attachments/receive.js";
import { presentSessionAttachment } from "./presenter.js";
import { closedSessionError, openSessionIn } from "./recording.js";
import type { SessionGuard } from "./routes.js";
import { schemas } from "./schema.js";

type SessionParams = { session_id: number };

/**
 * Files attached to a session, one per upload (multipart field `file`),
 * received and stored like case attachments (routes/attachments): the body is
 * checked whole before anything reaches the file store, and a failed database
 * write removes the stored file again. Downloads need "view" in the session's
 * project and are always served as attachments, never rendered inline.
 */
export async function sessionAttachmentRoutes(app: FastifyInstance, sessionFor: SessionGuard) {
  const { ctx } = app;
  const { db } = ctx.storage;
  const { dataDir, maxBodyBytes, maxUploadFiles } = ctx.config;
  const store = ctx.files;
  const incomingDir = path.join(dataDir, "incoming");

  await app.register(async (scope) => {
    await scope.register(multipart, { limits: parserLimits(maxBodyBytes, maxUploadFiles), throwFileSizeLimit: false });

    scope.get<{ Params: SessionParams }>(
      "/x/sessions/:session_id/attachments",
      { schema: schemas.attachments },
      async (request) => {
        const { id } = await sessionFor(request, "view");
        const rows = await db
          .selectFrom("session_attachments")
          .selectAll()
          .where("session_id", "=", id)
          .orderBy("id")
          .execute();
        return { result: rows.map(presentSessionAttachment) };
      },
    );

    scope.post<{ Params: SessionParams }>(
      "/x/sessions/:session_id/attachments",
      { schema: schemas.addAttachment },
      async (request, reply) => {
        const session = await sessionFor(request, "results");
        // Refused before the body is read: a closed session keeps no more files.
        if (session.is_closed === 1) throw closedSessionError(session.id);
        const spoolDir = await makeSpoolDir();
        try {
          const [file] = await receiveFiles(
            request,
            { fields: ["file"], keep: 1, maxFiles: maxUploadFiles, maxBytes: maxBodyBytes },
            spoolDir,
          );
          const storageKey = newStorageKey();
          await store.put(storageKey, { path: file!.spooled }, file!.mimeType);
          return await insertRow(request, reply, session.id, { ...file!, storageKey });
        } finally {
          await fs.promises.rm(spoolDir, { recursive: true, force: true });
        }
      },
    );

    scope.get<{ Params: { attachment_id: number } }>(
      "/x/session-attachments/:attachment_id/download",
      { schema: schemas.download },
      async (request, reply) => {
        const id = request.params.attachment_id;
        const row = await db.selectFrom("session_attachments").selectAll().where("id", "=", id).executeTakeFirst();
        if (!row) throw new NotFoundError(`Session attachment ${id} does not exist.`);
        await request.access.requireIn(row.project_id, "view", "view sessions");
        const file = await store.open(row.storage_key);
        if (!file)
          throw new NotFoundError(
            `The file of session attachment ${id} is missing from the server's storage. Upload it again.`,
          );
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

  async function insertRow(
    request: FastifyRequest,
    reply: Parameters<typeof sendResult>[0],
    sessionId: number,
    file: { name: string; mimeType: string; size: number; storageKey: string },
  ) {
    const forget = () => removeFilesOfDeletedRows(store, app.log, [file.storageKey]);
    let result: Awaited<ReturnType<typeof mutate>>;
    try {
      result = await mutate(app, request, async (trx) => {
        const session = await openSessionIn(trx, sessionId);
        const row = await trx
          .insertInto("session_attachments")
          .values({
            session_id: sessionId,
            project_id: session.project_id,
            name: file.name,
            mime_type: file.mimeType,
            size: file.size,
            storage_key: file.storageKey,
            created_at: new Date().toISOString(),
            created_by: request.user.id,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { status: 201, body: { result: [presentSessionAttachment(row)] } };
      });
    } catch (error) {
      await forget();
      if (error instanceof ApiError) throw error;
      request.log.error({ err: error }, "session attachment row could not be saved");
      throw new FileStoreUnavailableError(
        "The attachment could not be saved: the database failed (a server fault, not a problem with the file). Nothing was stored; retry later.",
      );
    }
    // A replayed Idempotency-Key answers with the first upload's row: this upload's file is not needed.
    if (result.replayed) await forget();
    return sendResult(reply, result);
  }
}
