import type { FastifyInstance } from "fastify";
import { invalidField } from "../../errors.js";
import { csvIds, expandNames, pageEnvelope, pageRequest } from "../../lib/query.js";
import { buildExpands, namedExpand } from "../../services/expands.js";
import { presentAutomationCase } from "./presenter.js";
import {
  type AutomationCaseRow,
  type AutomationCaseSortColumn,
  linkedCases,
  listAutomationCases,
  repositoryCaseNames,
} from "./queries.js";
import { AUTOMATION_CASE_EXPANDS, type AutomationCaseListQuery, type AutomationCaseSort, schemas } from "./schema.js";

type ProjectId = { project_id: number };

const SORT_COLUMNS: Record<AutomationCaseSort, AutomationCaseSortColumn> = {
  "automation_sources:created_at": "source",
  "automation_cases:name": "name",
  "automation_cases:elapsed_average": "elapsed_average",
  "automation_cases:failure_count": "failure_count",
  "automation_cases:flaky_percent": "flaky_percent",
};

/**
 * A project's automation cases (test identities: source + key) with their
 * aggregates, Testmo's newer `GET /projects/{id}/automation/cases` (spec §7).
 * `repository_cases` lists the linked repository case ids. Decisions:
 * docs/api-compatibility.md, "Newer automation API".
 */
export async function automationCaseRoutes(app: FastifyInstance) {
  const { ctx } = app;
  const { db, dialect } = ctx.storage;

  app.get<{ Params: ProjectId; Querystring: AutomationCaseListQuery }>(
    "/projects/:project_id/automation/cases",
    { schema: schemas.list },
    async (request) => {
      const { project_id: projectId } = request.params;
      await request.access.requireProject(projectId, "view", "view automation cases");
      const q = request.query;
      const requested = expandNames(q.expands, AUTOMATION_CASE_EXPANDS);
      const statuses = csvIds(q.status, "status");
      if (statuses?.some((s) => s < 1 || s > 4)) {
        throw invalidField(
          "status",
          "The status field must list statuses 1 (neutral), 2 (success), 3 (failure) or 4 (running), e.g. 3 or 2,3.",
        );
      }
      const page = pageRequest(q);
      const { total, rows } = await listAutomationCases(
        db,
        dialect,
        { projectId, sourceIds: csvIds(q.source_id, "source_id"), statuses, name: q.name, folder: q.folder },
        {
          offset: page.offset,
          limit: page.perPage,
          sort: SORT_COLUMNS[q.sort ?? "automation_sources:created_at"],
          order: q.order ?? "asc",
        },
      );
      const links = await linkedCases(
        db,
        rows.map((r) => r.id),
      );
      const expands = await buildExpands<AutomationCaseRow>(requested, rows, {
        automation_sources: (r) =>
          namedExpand(
            db,
            "automation_sources",
            r.map((x) => x.source_id),
          ),
        repository_cases: () => repositoryCaseNames(db, projectId, [...links.values()].flat()),
      });
      return pageEnvelope(
        page,
        total,
        rows.map((row) => presentAutomationCase(row, links.get(row.id) ?? [])),
        expands,
      );
    },
  );
}
