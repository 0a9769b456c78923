import fs from "node:fs";
import path from "node:path";
import type { CreateManualRunResult } from "@assay/api";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { ApiError, type FieldErrors, InvalidDataError, NotFoundError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { addRunResult } from "../../services/manual-testing.js";
import { newStorageKey, resolveIssues } from "../../services/repository.js";
import { FileStoreUnavailableError, removeFilesOfDeletedRows } from "../../storage/files/index.js";
import { parserLimits, receiveFiles } from "../attachments/receive.js";
import { presentRunResults } from "../run-results/presenter.js";
import { presentResultAttachment, presentRunById } from "../x-manual-runs/presenter.js";
import { findAttachment, requireOpen, requireRun } from "../x-manual-runs/queries.js";
import { schemas } from "./schema.js";

/**
 * Results of manual runs, Assay's extension: a tester ("results" permission)
 * adds a test's new latest result (status, comment, elapsed time, issues),
 * which moves the run's status counts and forecast as GET /runs shows them,
 * and attaches files (screenshots) to a result. Closed runs refuse both.
 */
export async function xRunResultRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;
  const store = ctx.files;

  app.post<{ Params: { run_id: number }; Body: CreateManualRunResult }>(
    "/x/runs/:run_id/results",
    { schema: schemas.create },
    async (request, reply) => {
      const run = await requireRun(db, request.access, request.params.run_id, "results", "add results");
      requireOpen(run);
      const body = request.body;
      const test = await db
        .selectFrom("run_tests")
        .select("id")
        .where("id", "=", body.test_id)
        .where("run_id", "=", run.id)
        .executeTakeFirst();
      if (!test) {
        const message = `Test ${body.test_id} is not in run ${run.id}. Use a test id from GET /x/runs/${run.id}/tests.`;
        throw new InvalidDataError(message, { test_id: [message] });
      }
      if (ctx.statuses.all.find((s) => s.id === body.status_id)?.is_untested) {
        const message = "A result needs a tested status (passed, failed, retest, blocked, skipped), not untested.";
        throw new InvalidDataError(message, { status_id: [message] });
      }
      const result = await mutate(app, request, async (trx) => {
        // Two testers saving the same test at once: the second waits, so the run's counts move once per result
        // (SQLite runs one write transaction at a time anyway).
        if (ctx.storage.dialect === "postgres") {
          await trx.selectFrom("run_tests").select("id").where("id", "=", test.id).forUpdate().execute();
        }
        const errors: FieldErrors = {};
        const issueIds = await resolveIssues(trx, request.user.id, body.issues ?? [], "issues", errors);
        if (Object.keys(errors).length > 0) throw new InvalidDataError("Some issues cannot be linked.", errors);
        const note = body.note?.trim() ? body.note : null;
        const resultId = await addRunResult(ctx.statuses, trx, request.user.id, test.id, {
          statusId: body.status_id,
          note,
          elapsed: body.elapsed ?? 0,
          issueIds,
        });
        const row = await trx
          .selectFrom("run_results")
          .selectAll()
          .where("id", "=", resultId)
          .executeTakeFirstOrThrow();
        const issues = issueIds.map((issue_id) => ({ owner_id: resultId, issue_id }));
        return {
          status: 201,
          body: { result: presentRunResults([row], issues)[0], run: await presentRunById(ctx, trx, run.id) },
        };
      });
      return sendResult(reply, result);
    },
  );

  await app.register(async (scope) => {
    const { dataDir, maxBodyBytes, maxUploadFiles } = ctx.config;
    await scope.register(multipart, { limits: parserLimits(maxBodyBytes, maxUploadFiles), throwFileSizeLimit: false });

    scope.post<{ Params: { run_result_id: number } }>(
      "/x/run-results/:run_result_id/attachments",
      { schema: schemas.upload },
      async (request, reply) => {
        const id = request.params.run_result_id;
        const target = await db
          .selectFrom("run_results")
          .select(["id", "run_id", "project_id"])
          .where("id", "=", id)
          .where("deleted_at", "is", null)
          .executeTakeFirst();
        if (!target) throw new NotFoundError(`Run result ${id} does not exist.`);
        const run = await requireRun(db, request.access, target.run_id, "results", "attach files to results");
        requireOpen(run);
        const incoming = path.join(dataDir, "incoming");
        await fs.promises.mkdir(incoming, { recursive: true });
        const spoolDir = await fs.promises.mkdtemp(path.join(incoming, "result-"));
        const storageKey = newStorageKey();
        let stored = false;
        try {
          const [file] = await receiveFiles(
            request,
            { fields: ["file"], keep: 1, maxFiles: maxUploadFiles, maxBytes: maxBodyBytes },
            spoolDir,
          );
          await store.put(storageKey, { path: file!.spooled }, file!.mimeType);
          stored = true;
          const result = await mutate(app, request, async (trx) => {
            const row = await trx
              .insertInto("run_result_attachments")
              .values({
                result_id: target.id,
                run_id: target.run_id,
                project_id: target.project_id,
                name: file!.name,
                mime_type: file!.mimeType,
                size: file!.size,
                storage_key: storageKey,
                created_at: new Date().toISOString(),
                created_by: request.user.id,
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            return { status: 201, body: { result: presentResultAttachment(row) } };
          });
          // A replayed Idempotency-Key answers with the first upload's row: this upload's file is not needed.
          if (result.replayed) await removeFilesOfDeletedRows(store, request.log, [storageKey]);
          return sendResult(reply, result);
        } catch (error) {
          if (stored) await removeFilesOfDeletedRows(store, request.log, [storageKey]);
          if (error instanceof ApiError) throw error;
          request.log.error({ err: error }, "run result attachment could not be saved");
          throw new FileStoreUnavailableError(
            "The file could not be saved (a server fault, not a problem with the file). Nothing was stored; retry later.",
          );
        } finally {
          await fs.promises.rm(spoolDir, { recursive: true, force: true });
        }
      },
    );
  });

  app.get<{ Params: { run_result_attachment_id: number } }>(
    "/x/run-result-attachments/:run_result_attachment_id/download",
    { schema: schemas.download },
    async (request, reply) => {
      const id = request.params.run_result_attachment_id;
      const row = await findAttachment(db, id);
      if (!row) throw new NotFoundError(`Attachment ${id} does not exist.`);
      await request.access.requireIn(row.project_id, "view", "view run results");
      const file = await store.open(row.storage_key);
      if (!file) throw new NotFoundError(`The file of attachment ${id} is missing from the server's storage.`);
      // Screenshots are shown inline; anything else downloads. The sandbox CSP keeps either inert.
      const inline = /^image\/(png|jpeg|gif|webp)$/.test(row.mime_type);
      return reply
        .header("content-type", row.mime_type)
        .header("content-length", String(file.size))
        .header(
          "content-disposition",
          `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(row.name)}`,
        )
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "sandbox; default-src 'none'")
        .send(file.stream);
    },
  );
}
