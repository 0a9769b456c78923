import {
  CASE_EXPANDS,
  type CreateRepositoryCase,
  type DeleteRepositoryCases,
  type UpdateRepositoryCase,
} from "@assay/api";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { csvIds, expandNames, pageEnvelope, pageRequest, queryBoolean, queryDatetime } from "../../lib/query.js";
import { mutate, sendResult } from "../../plugins/idempotency.js";
import { buildExpands, namedExpand } from "../../services/expands.js";
import {
  type CaseRow,
  caseRelations,
  casesByIds,
  createCases,
  deleteCases,
  foldersOfProject,
  listCases,
  updateCases,
} from "../../services/repository.js";
import { removeFilesOfDeletedRows } from "../../storage/files/index.js";
import type { Database } from "../../storage/schema.js";
import { presentCase, presentCreatedCase } from "./presenter.js";
import { type CaseListQuery, schemas } from "./schema.js";

type ProjectId = { project_id: number };

/**
 * Repository cases. Decisions (spec Open points 1, 15–18): create 201, update
 * 200, delete 204 (hard delete, attachments included); `ids` on delete is
 * required, 1..100; PATCH replaces `tags`/`issues`/`automation_links` when
 * given and merges `custom_*` keys; `automation_links` in list items are
 * automation case ids.
 */
export async function caseRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db } = ctx.storage;

  /** Created/updated cases with embedded relations, in id order of the request. */
  async function presentWritten(trx: Kysely<Database>, ids: number[]) {
    const rows = await casesByIds(trx, ids);
    const relations = await caseRelations(trx, ids);
    return rows.map((row) => presentCreatedCase(row, relations));
  }

  app.get<{ Params: ProjectId; Querystring: CaseListQuery }>(
    "/projects/:project_id/cases",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view repository cases");
      const q = request.query;
      const requested = expandNames(q.expands, CASE_EXPANDS);
      const page = pageRequest(q);
      const { total, rows } = await listCases(
        db,
        {
          projectId,
          folderIds: csvIds(q.folder_id, "folder_id"),
          templateIds: csvIds(q.template_id, "template_id"),
          stateIds: csvIds(q.state_id, "state_id"),
          statusIds: csvIds(q.status_id, "status_id"),
          createdAfter: queryDatetime(q.created_after, "created_after"),
          createdBefore: queryDatetime(q.created_before, "created_before"),
          createdBy: csvIds(q.created_by, "created_by"),
          hasAutomation: queryBoolean(q.has_automation),
          hasAutomationStatus: queryBoolean(q.has_automation_status),
        },
        {
          offset: page.offset,
          limit: page.perPage,
          sort: (q.sort?.split(":")[1] ?? "created_at") as "created_at" | "name",
          order: q.order ?? "desc",
        },
      );
      const relations = await caseRelations(
        db,
        rows.map((r) => r.id),
      );
      const expands = await buildExpands<CaseRow>(requested, rows, {
        templates: async (r) => {
          const ids = [...new Set(r.map((x) => x.template_id))];
          if (ids.length === 0) return [];
          const templates = await db
            .selectFrom("templates")
            .select(["id", "name", "is_default"])
            .where("id", "in", ids)
            .orderBy("id")
            .execute();
          return templates.map((t) => ({ id: t.id, name: t.name, is_default: t.is_default === 1 }));
        },
        folders: async (r) =>
          (
            await foldersOfProject(
              db,
              projectId,
              r.map((x) => x.folder_id).filter((id): id is number => id !== null),
            )
          )
            .sort((a, b) => a.id - b.id)
            .map((f) => ({ id: f.id, name: f.name })),
        users: (r) =>
          namedExpand(
            db,
            "users",
            r.flatMap((x) => [x.created_by, x.updated_by]),
          ),
        automation_links: () => {
          const unique = new Map(
            [...relations.automationLinks.values()].flat().map((l) => [l.automation_case_id, l] as const),
          );
          return [...unique.values()].sort((a, b) => a.automation_case_id - b.automation_case_id);
        },
        tags: () => {
          const unique = new Map([...relations.tags.values()].flat().map((t) => [t.tag_id, t.name] as const));
          return [...unique].sort((a, b) => a[0] - b[0]).map(([id, name]) => ({ id, name }));
        },
        history: () => [],
        comments: () => [],
      });
      return pageEnvelope(
        page,
        total,
        rows.map((row) => presentCase(row, relations)),
        expands,
      );
    },
  );

  app.post<{ Params: ProjectId; Body: CreateRepositoryCase }>(
    "/projects/:project_id/cases",
    { schema: schemas.create },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "repository", "change the case repository");
      const result = await mutate(app, request, async (trx) => {
        const ids = await createCases(trx, request.user.id, projectId, request.body.cases);
        return { status: 201, body: { result: await presentWritten(trx, ids) } };
      });
      return sendResult(reply, result);
    },
  );

  app.patch<{ Params: ProjectId; Body: UpdateRepositoryCase }>(
    "/projects/:project_id/cases",
    { schema: schemas.update },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "repository", "change the case repository");
      const result = await mutate(app, request, async (trx) => {
        const ids = await updateCases(trx, request.user.id, projectId, request.body);
        return { status: 200, body: { result: await presentWritten(trx, ids) } };
      });
      return sendResult(reply, result);
    },
  );

  app.delete<{ Params: ProjectId; Body: DeleteRepositoryCases }>(
    "/projects/:project_id/cases",
    { schema: schemas.delete },
    async (request, reply) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "repository", "change the case repository");
      let files: string[] = [];
      const result = await mutate(app, request, async (trx) => {
        files = await deleteCases(trx, projectId, request.body.ids);
        return { status: 204 };
      });
      await removeFilesOfDeletedRows(ctx.files, request.log, files);
      return sendResult(reply, result);
    },
  );
}
