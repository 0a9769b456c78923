import type { AppendToAutomationRunThread, CompleteAutomationRunThread, CreateAutomationRunThread } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import {
  appendToThread,
  completeThread,
  createThread,
  requireRun,
  requireThread,
  resolveTests,
} from "../../services/automation.js";
import { schemas } from "./schema.js";

type ThreadId = { automation_run_thread_id: number };

export async function automationThreadRoutes(app: FastifyInstance) {
  const { ctx } = app;

  app.post<{ Params: { automation_run_id: number }; Body: CreateAutomationRunThread }>(
    "/automation/runs/:automation_run_id/threads",
    { schema: schemas.create },
    async (request, reply) => {
      const run = await requireRun(ctx, request.access, request.params.automation_run_id, "automation");
      const result = await mutate(app, request, (trx) => createThread(trx, request.user.id, run.id, request.body));
      return sendResult(reply, result);
    },
  );

  app.post<{ Params: ThreadId; Body: AppendToAutomationRunThread }>(
    "/automation/runs/threads/:automation_run_thread_id/append",
    { schema: schemas.append },
    async (request, reply) => {
      const thread = await requireThread(ctx, request.access, request.params.automation_run_thread_id);
      const tests = resolveTests(ctx.statuses, request.body);
      const result = await mutate(app, request, (trx) => appendToThread(ctx, trx, thread, request.body, tests));
      return sendResult(reply, result);
    },
  );

  app.post<{ Params: ThreadId; Body: CompleteAutomationRunThread | undefined }>(
    "/automation/runs/threads/:automation_run_thread_id/complete",
    { schema: schemas.complete },
    async (request, reply) => {
      const thread = await requireThread(ctx, request.access, request.params.automation_run_thread_id);
      const result = await mutate(app, request, (trx) =>
        completeThread(ctx.statuses, trx, request.user.id, thread.id, request.body ?? {}),
      );
      return sendResult(reply, result);
    },
  );
}
