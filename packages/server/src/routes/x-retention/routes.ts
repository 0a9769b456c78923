import type { FastifyInstance } from "fastify";
import { ApiError, ConflictError, type FieldErrors, InvalidDataError } from "../../errors.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { RetentionStopped } from "../../services/retention/delete-run.js";
import { LeaseBusyError } from "../../services/retention/lease.js";
import { runRetentionPass } from "../../services/retention/pass.js";
import { listPolicies, PROJECT_WIDE, replacePolicies, sourcesOfProject } from "../../storage/repositories/retention.js";
import { presentPolicy } from "./presenter.js";
import { type RunRetention, type SetRetentionPolicies, schemas } from "./schema.js";

type ProjectId = { project_id: number };

/**
 * `/api/v1/x/…` retention (Assay's extension, not Testmo's API): a project's
 * policies (project managers and administrators), and a pass run now
 * (administrators). The rule: docs/analytics.md, "Retention".
 */
export async function xRetentionRoutes(app: FastifyInstance) {
  const { storage, statuses } = app.ctx;
  const { db } = storage;
  let closing = false;
  // A pass started by a request stops between two chunks when the server stops.
  app.addHook("preClose", async () => {
    closing = true;
  });

  app.get<{ Params: ProjectId }>("/x/projects/:project_id/retention", { schema: schemas.get }, async (request) => {
    const { project_id: projectId } = request.params;
    await request.access.requireProject(projectId, "manageProject", "view the project's retention policies");
    return { result: (await listPolicies(db, projectId)).map(presentPolicy) };
  });

  app.put<{ Params: ProjectId; Body: SetRetentionPolicies }>(
    "/x/projects/:project_id/retention",
    { schema: schemas.put },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "manageProject", "change the project's retention policies");
      const sources = new Set((await sourcesOfProject(db, projectId)).map((s) => s.id));
      const policies = request.body.policies.map((p) => ({
        source_id: p.source_id ?? PROJECT_WIDE,
        keep_days: p.keep_days ?? null,
        keep_runs: p.keep_runs ?? null,
      }));
      const errors: FieldErrors = {};
      const seen = new Map<number, number>();
      policies.forEach((policy, i) => {
        const name = policy.source_id === PROJECT_WIDE ? "the project" : `source ${policy.source_id}`;
        if (policy.source_id !== PROJECT_WIDE && !sources.has(policy.source_id)) {
          errors[`policies.${i}.source_id`] = [
            `Automation source ${policy.source_id} does not exist in project ${projectId}. Use the id of one of its sources (GET /projects/${projectId}/automation/sources), or null for the project-wide policy.`,
          ];
        } else if (seen.has(policy.source_id)) {
          errors[`policies.${i}.source_id`] = [
            `policies.${seen.get(policy.source_id)} already is the policy of ${name}: give each source at most one policy, and the project at most one with source_id null.`,
          ];
        }
        if (!seen.has(policy.source_id)) seen.set(policy.source_id, i);
        if (policy.keep_days === null && policy.keep_runs === null) {
          errors[`policies.${i}`] = [
            `The policy of ${name} keeps everything: give keep_days, keep_runs or both. To keep everything, leave it out.`,
          ];
        }
      });
      const first = Object.values(errors)[0]?.[0];
      if (first) throw new InvalidDataError(`The given data was invalid: ${first}`, errors);
      const result = await mutate(app, request, async (trx) => {
        await replacePolicies(trx, projectId, policies, { now: new Date().toISOString(), userId: request.user.id });
        return { status: 200, body: { result: (await listPolicies(trx, projectId)).map(presentPolicy) } };
      });
      return sendResult(reply, result);
    },
  );

  // The body is optional: a bare POST runs a real pass.
  const optionalBody = async (request: { body: unknown }) => {
    request.body ??= {};
  };
  app.post<{ Body: RunRetention }>(
    "/x/retention/run",
    { schema: schemas.run, preValidation: optionalBody },
    async (request) => {
      request.access.requireAdmin("run retention now (/api/v1/x/retention/run)");
      try {
        const report = await runRetentionPass(storage, statuses, {
          dryRun: request.body.dry_run ?? false,
          shouldStop: () => closing,
          log: { info: (message) => request.log.info(message) },
        });
        return { result: report };
      } catch (error) {
        if (error instanceof LeaseBusyError) {
          const seconds = Math.max(1, Math.ceil((Date.parse(error.expiresAt) - Date.now()) / 1000));
          throw new ConflictError(error.message, seconds);
        }
        if (error instanceof RetentionStopped) {
          throw new ApiError(503, `The server is stopping: the pass ${error.message}. Run it again once it is back.`);
        }
        throw error;
      }
    },
  );
}
