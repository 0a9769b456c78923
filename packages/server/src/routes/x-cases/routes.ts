import type { SaveCase } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { invalidField, NotFoundError } from "../../errors.js";
import { csvIds, pageEnvelope, pageRequest, queryBoolean } from "../../lib/query.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { requireCaseIn } from "../../services/repository.js";
import { loadCaseDetail } from "./presenter.js";
import { customFieldNames, searchCases, withSubfolders } from "./queries.js";
import { saveCase } from "./save.js";
import { schemas, type XCaseListQuery } from "./schema.js";

/**
 * The repository screens' reads and the conflict-safe case save (`/api/v1/x/`, Assay's extension).
 * Reads need `view` in the case's project, the save needs `repository`, like Testmo's case routes.
 */
export async function xCaseRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  async function detail(caseId: number) {
    const result = await loadCaseDetail(db, caseId);
    if (!result) throw new NotFoundError(`Case ${caseId} does not exist.`);
    return { result };
  }

  app.get<{ Params: { case_id: number } }>("/x/cases/:case_id", { schema: schemas.get }, async (request) => {
    await requireCaseIn(db, request.access, request.params.case_id, "view");
    return detail(request.params.case_id);
  });

  app.patch<{ Params: { case_id: number }; Body: SaveCase }>(
    "/x/cases/:case_id",
    { schema: schemas.save },
    async (request, reply) => {
      const row = await requireCaseIn(db, request.access, request.params.case_id, "repository");
      const result = await mutate(app, request, async (trx) => {
        await saveCase(trx, request.user.id, row, request.body);
        const saved = await loadCaseDetail(trx, row.id);
        return { status: 200, body: { result: saved } };
      });
      return sendResult(reply, result);
    },
  );

  app.get<{ Params: { project_id: number }; Querystring: XCaseListQuery }>(
    "/x/projects/:project_id/cases",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view repository cases");
      const q = request.query;
      requireBothOrNeither(q);
      const page = pageRequest(q);
      let folderIds = csvIds(q.folder_id, "folder_id");
      if (folderIds && queryBoolean(q.include_subfolders)) folderIds = await withSubfolders(db, projectId, folderIds);
      const { total, items } = await searchCases(
        db,
        {
          projectId,
          search: q.search,
          folderIds,
          tagIds: csvIds(q.tag_id, "tag_id"),
          stateIds: csvIds(q.state_id, "state_id"),
          templateIds: csvIds(q.template_id, "template_id"),
          custom:
            q.custom_field !== undefined && q.custom_value !== undefined
              ? { field: q.custom_field, value: q.custom_value }
              : undefined,
        },
        { offset: page.offset, limit: page.perPage, sort: q.sort ?? "key", order: q.order ?? "asc" },
      );
      return pageEnvelope(page, total, items);
    },
  );

  app.get<{ Params: { project_id: number } }>(
    "/x/projects/:project_id/repository",
    { schema: schemas.options },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view the case repository");
      const [templates, states, tags, customFields] = await Promise.all([
        db.selectFrom("templates").select(["id", "name", "is_default"]).orderBy("id").execute(),
        db.selectFrom("states").select(["id", "name", "is_default"]).orderBy("id").execute(),
        db
          .selectFrom("repository_tags")
          .select(["id", "name"])
          .where("project_id", "=", projectId)
          .orderBy("name")
          .execute(),
        customFieldNames(db, projectId),
      ]);
      const flagged = (r: { id: number; name: string; is_default: number }) => ({
        ...r,
        is_default: r.is_default === 1,
      });
      return {
        result: { templates: templates.map(flagged), states: states.map(flagged), tags, custom_fields: customFields },
      };
    },
  );
}

/** The custom field filter needs a field and a value. */
function requireBothOrNeither(q: XCaseListQuery): void {
  if ((q.custom_field === undefined) === (q.custom_value === undefined)) return;
  const missing = q.custom_field === undefined ? "custom_field" : "custom_value";
  throw invalidField(
    missing,
    `Filtering by a custom field needs both custom_field (e.g. custom_priority) and custom_value; ${missing} is missing.`,
  );
}
