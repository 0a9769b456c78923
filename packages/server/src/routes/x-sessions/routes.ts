import type { CreateSession, CreateSessionResult, UpdateSession } from "@assay/api";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { NotFoundError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import type { Access } from "../../services/access.js";
import { addSessionResult, createSession } from "../../services/manual-testing.js";
import { findSession, issuesOfSessions, type SessionRow } from "../../storage/repositories/manual.js";
import type { Database } from "../../storage/schema.js";
import { sessionAttachmentRoutes } from "./attachments.js";
import { presentRecording, presentSessionResult } from "./presenter.js";
import { closeRecordedSession, openSessionIn, requireTemplate, requireUser, updateSession } from "./recording.js";
import { schemas } from "./schema.js";

type SessionParams = { session_id: number };

/**
 * `/api/v1/x/…sessions`: recording exploratory sessions, which Testmo's API
 * cannot do (decision 40). Reads need "view"; every write needs "results" —
 * testers record their own sessions — and a closed session takes no writes
 * (422). Writes run in one transaction through mutate(), so Idempotency-Key
 * replays answer like the first request.
 */
export async function xSessionRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  async function recording(sessionId: number, trx: Kysely<Database> = db) {
    const row = await findSession(trx, sessionId);
    if (!row) throw new NotFoundError(`Session ${sessionId} does not exist.`);
    const issues = await issuesOfSessions(trx, [row.id]);
    return { result: presentRecording(ctx.statuses, row, issues, new Date()) };
  }

  /** The session, once the caller may do `permission` in its project. */
  const sessionFor: SessionGuard = async (request, permission) => {
    const id = request.params.session_id;
    const row = await findSession(db, id);
    if (!row) throw new NotFoundError(`Session ${id} does not exist.`);
    await request.access.requireIn(
      row.project_id,
      permission,
      permission === "view" ? "view sessions" : "record sessions",
    );
    return row;
  };

  app.post<{ Params: { project_id: number }; Body: CreateSession }>(
    "/x/projects/:project_id/sessions",
    { schema: schemas.create },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "results", "record sessions");
      const body = request.body;
      const result = await mutate(app, request, async (trx) => {
        await requireTemplate(trx, body.template_id);
        await requireUser(trx, "assignee_id", body.assignee_id);
        const id = await createSession(trx, request.user.id, projectId, {
          name: body.name,
          templateId: body.template_id,
          milestoneId: body.milestone_id,
          configId: body.config_id,
          assigneeId: body.assignee_id,
          estimate: body.estimate,
          tags: body.tags,
        });
        if (body.charter)
          await trx.updateTable("sessions").set({ charter: body.charter }).where("id", "=", id).execute();
        return { status: 201, body: await recording(id, trx) };
      });
      return sendResult(reply, result);
    },
  );

  app.get<{ Params: SessionParams }>("/x/sessions/:session_id", { schema: schemas.get }, async (request) => {
    const row = await sessionFor(request, "view");
    return recording(row.id);
  });

  app.patch<{ Params: SessionParams; Body: UpdateSession }>(
    "/x/sessions/:session_id",
    { schema: schemas.update },
    async (request, reply) => {
      const { id } = await sessionFor(request, "results");
      const result = await mutate(app, request, async (trx) => {
        const row = await openSessionIn(trx, id);
        await updateSession(trx, request.user.id, row, request.body, new Date());
        return { status: 200, body: await recording(id, trx) };
      });
      return sendResult(reply, result);
    },
  );

  app.post<{ Params: SessionParams }>(
    "/x/sessions/:session_id/close",
    { schema: schemas.close },
    async (request, reply) => {
      const { id } = await sessionFor(request, "results");
      const result = await mutate(app, request, async (trx) => {
        const row = await openSessionIn(trx, id);
        await closeRecordedSession(trx, request.user.id, row, new Date());
        return { status: 200, body: await recording(id, trx) };
      });
      return sendResult(reply, result);
    },
  );

  app.get<{ Params: SessionParams }>(
    "/x/sessions/:session_id/results",
    { schema: schemas.results },
    async (request) => {
      const { id } = await sessionFor(request, "view");
      const rows = await db
        .selectFrom("session_results")
        .selectAll()
        .where("session_id", "=", id)
        .orderBy("id")
        .execute();
      return { result: rows.map(presentSessionResult) };
    },
  );

  app.post<{ Params: SessionParams; Body: CreateSessionResult }>(
    "/x/sessions/:session_id/results",
    { schema: schemas.addResult },
    async (request, reply) => {
      const { id } = await sessionFor(request, "results");
      const body = request.body;
      const result = await mutate(app, request, async (trx) => {
        await openSessionIn(trx, id);
        const resultId = await addSessionResult(ctx.statuses, trx, request.user.id, id, {
          statusId: body.status_id,
          note: body.note,
          elapsed: body.elapsed,
        });
        const row = await trx
          .selectFrom("session_results")
          .selectAll()
          .where("id", "=", resultId)
          .executeTakeFirstOrThrow();
        return { status: 201, body: { result: presentSessionResult(row) } };
      });
      return sendResult(reply, result);
    },
  );

  await sessionAttachmentRoutes(app, sessionFor);
}

export type SessionGuard = (
  request: { params: SessionParams; access: Access },
  permission: "view" | "results",
) => Promise<SessionRow>;
