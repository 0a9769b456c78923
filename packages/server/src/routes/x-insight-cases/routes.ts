import type { InsightSettings, SetQuarantine, UpdateInsightSettings } from "@assay/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { InvalidDataError, invalidField, NotFoundError } from "../../errors.js";
import { csvIds, normaliseDatetime, pageEnvelope, pageRequest, queryBoolean } from "../../lib/query.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { loadInsightSettings } from "../../services/insights/settings.js";
import type { PermissionName } from "../../services/permissions.js";
import {
  activeQuarantines,
  type CaseSortColumn,
  caseFailureGroups,
  caseHistory,
  findActiveQuarantine,
  findCase,
  listCases,
  recomputeFlakiness,
  removeQuarantine,
  saveInsightSettings,
  setQuarantine,
} from "../../storage/repositories/insight-cases.js";
import {
  presentCase,
  presentCaseFailureGroup,
  presentHistoryItem,
  presentQuarantine,
  statusIdsOf,
} from "./presenter.js";
import { type CaseListQuery, type HistoryQuery, type PageQuery, schemas } from "./schema.js";

type ProjectId = { project_id: number };
type CaseId = { automation_case_id: number };

/**
 * `/api/v1/x/…` test intelligence, case by case (Assay's extension, not
 * Testmo's API): the tests of a project ranked by flakiness, duration or
 * failures, one test's details, history and failure groups, its quarantine,
 * and the project's flakiness settings. Definitions: docs/analytics.md.
 */
export async function xInsightCaseRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db, dialect } = ctx.storage;

  /** The case, if the user may do `permission` in its project: 404 when it does not exist, 403 otherwise. */
  async function requireCase(request: FastifyRequest, caseId: number, permission: PermissionName, action: string) {
    const row = await findCase(db, caseId);
    if (!row) throw new NotFoundError(`Automation case ${caseId} does not exist.`);
    await request.access.requireIn(row.project_id, permission, action);
    return row;
  }

  app.get<{ Params: ProjectId; Querystring: CaseListQuery }>(
    "/x/projects/:project_id/automation/cases",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view automation tests");
      const q = request.query;
      const page = pageRequest(q);
      const now = new Date().toISOString();
      const [settings, { total, rows }] = await Promise.all([
        loadInsightSettings(db, projectId),
        listCases(
          db,
          dialect,
          {
            projectId,
            sourceIds: csvIds(q.source_id, "source_id"),
            statuses: outcomes("status", q.status),
            flaky: queryBoolean(q.flaky),
            quarantined: queryBoolean(q.quarantined),
            name: q.name,
            folder: q.folder,
            now,
          },
          {
            offset: page.offset,
            limit: page.perPage,
            sort: (q.sort?.split(":").at(-1) ?? "flaky_percent") as CaseSortColumn,
            order: q.order ?? "desc",
          },
        ),
      ]);
      const quarantines = await activeQuarantines(
        db,
        rows.map((r) => r.id),
        now,
      );
      const result = rows.map((row) => presentCase(row, quarantines.get(row.id), settings));
      return pageEnvelope(page, total, result);
    },
  );

  app.get<{ Params: CaseId }>("/x/automation/cases/:automation_case_id", { schema: schemas.get }, async (request) => {
    const row = await requireCase(request, request.params.automation_case_id, "view", "view automation tests");
    const [settings, quarantine] = await Promise.all([
      loadInsightSettings(db, row.project_id),
      findActiveQuarantine(db, row.id, new Date().toISOString()),
    ]);
    return { result: presentCase(row, quarantine, settings) };
  });

  app.get<{ Params: CaseId; Querystring: HistoryQuery }>(
    "/x/automation/cases/:automation_case_id/history",
    { schema: schemas.history },
    async (request) => {
      const row = await requireCase(request, request.params.automation_case_id, "view", "view automation tests");
      const q = request.query;
      const page = pageRequest(q);
      const wanted = outcomes("status", q.status);
      const { total, rows } = await caseHistory(
        db,
        {
          caseId: row.id,
          statusIds: wanted ? statusIdsOf(ctx.statuses, wanted) : undefined,
          branch: q.branch,
          resultCount: row.result_count,
        },
        { offset: page.offset, limit: page.perPage },
      );
      return pageEnvelope(
        page,
        total,
        rows.map((r) => presentHistoryItem(ctx.statuses, r)),
      );
    },
  );

  app.get<{ Params: CaseId; Querystring: PageQuery }>(
    "/x/automation/cases/:automation_case_id/failure-groups",
    { schema: schemas.failureGroups },
    async (request) => {
      const row = await requireCase(request, request.params.automation_case_id, "view", "view automation tests");
      const page = pageRequest(request.query);
      const { total, rows } = await caseFailureGroups(db, row.id, { offset: page.offset, limit: page.perPage });
      return pageEnvelope(page, total, rows.map(presentCaseFailureGroup));
    },
  );

  app.put<{ Params: CaseId; Body: SetQuarantine }>(
    "/x/automation/cases/:automation_case_id/quarantine",
    { schema: schemas.putQuarantine },
    async (request, reply) => {
      const row = await requireCase(request, request.params.automation_case_id, "automation", "quarantine tests");
      const reason = request.body.reason.trim();
      if (reason === "")
        throw invalidField("reason", "The reason field must not be empty: say why the test is quarantined.");
      const now = new Date().toISOString();
      const expiresAt = request.body.expires_at ? bodyDatetime("expires_at", request.body.expires_at) : null;
      if (expiresAt !== null && expiresAt <= now) {
        throw invalidField(
          "expires_at",
          `The expires_at field must be in the future (it is ${expiresAt}, now is ${now}). Omit it or send null for a quarantine without expiry.`,
        );
      }
      const result = await mutate(app, request, async (trx) => {
        const stored = await setQuarantine(trx, {
          caseId: row.id,
          projectId: row.project_id,
          reason,
          expiresAt,
          now,
          userId: request.user.id,
        });
        return { status: 200, body: { result: presentQuarantine(stored) } };
      });
      return sendResult(reply, result);
    },
  );

  // Idempotent: removing the quarantine of a test that has none (or an expired one) is a 204 too,
  // so scripts can "make sure" a test is not quarantined. An unknown test is still a 404.
  app.delete<{ Params: CaseId }>(
    "/x/automation/cases/:automation_case_id/quarantine",
    { schema: schemas.deleteQuarantine },
    async (request, reply) => {
      const row = await requireCase(
        request,
        request.params.automation_case_id,
        "automation",
        "remove tests from quarantine",
      );
      const result = await mutate(app, request, async (trx) => {
        await removeQuarantine(trx, row.id);
        return { status: 204 };
      });
      return sendResult(reply, result);
    },
  );

  app.get<{ Params: ProjectId }>(
    "/x/projects/:project_id/insight-settings",
    { schema: schemas.getSettings },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view the project's insight settings");
      return { result: await loadInsightSettings(db, projectId) };
    },
  );

  app.patch<{ Params: ProjectId; Body: UpdateInsightSettings | undefined }>(
    "/x/projects/:project_id/insight-settings",
    { schema: schemas.patchSettings },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "manageProject", "change the project's insight settings");
      const previous = await loadInsightSettings(db, projectId);
      const next: InsightSettings = { ...previous, ...request.body };
      if (next.flaky_min_results > next.flaky_window) {
        throw new InvalidDataError(
          `flaky_min_results (${next.flaky_min_results}) must not be larger than flaky_window (${next.flaky_window}): a test could never have enough results in its window to be flaky by flip rate.`,
          {
            flaky_min_results: [`The flaky_min_results field must be at most flaky_window (${next.flaky_window}).`],
          },
        );
      }
      const result = await mutate(app, request, async (trx) => {
        await saveInsightSettings(trx, projectId, next, { now: new Date().toISOString(), userId: request.user.id });
        return { status: 200, body: { result: next } };
      });
      // After the commit, in chunks of their own (see recomputeFlakiness), with the settings as stored
      // now (a concurrent PATCH may have won). Always, even when nothing changed: should a recomputation
      // fail half way, sending the settings again (with a new Idempotency-Key) finishes it.
      await recomputeFlakiness(db, dialect, projectId, await loadInsightSettings(db, projectId));
      return sendResult(reply, result);
    },
  );
}

/** A csv of outcomes 1 (neutral), 2 (success), 3 (failure); anything else is a 422 naming the field. */
function outcomes(field: string, value: string | undefined): number[] | undefined {
  const ids = csvIds(value, field);
  if (ids?.some((id) => id < 1 || id > 3)) {
    throw invalidField(
      field,
      `The ${field} field must list outcomes 1 (neutral: skipped, untested, …), 2 (success) or 3 (failure), e.g. 2,3.`,
    );
  }
  return ids;
}

/** A body date-time in the stored form; outside years 0000–9999 (UTC) it is a 422 naming the field. */
function bodyDatetime(field: string, value: string): string {
  const normalised = normaliseDatetime(value);
  if (normalised === null) {
    throw invalidField(
      field,
      `The ${field} field must be a date-time from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z in UTC, e.g. 2030-01-01T00:00:00Z.`,
    );
  }
  return normalised;
}
