import { type CaseDetail, type CaseStep, STEPS_FIELD } from "@assay/api";
import type { Kysely } from "kysely";
import { caseRelations } from "../../services/repository.js";
import type { Database } from "../../storage/schema.js";
import { presentAttachment } from "../attachments/presenter.js";
import { automationOfCase, tagsOfCases } from "./queries.js";

/** Steps as stored by any client: items that are not `{step, expected}` text keep what text they have. */
function presentSteps(value: unknown): CaseStep[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => {
    const step = item && typeof item === "object" ? (item as Record<string, unknown>) : {};
    const text = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));
    return { step: text(step.step ?? (typeof item === "string" ? item : undefined)), expected: text(step.expected) };
  });
}

/** One case, whole, as the editor loads it (null when it does not exist). */
export async function loadCaseDetail(db: Kysely<Database>, caseId: number): Promise<CaseDetail | null> {
  const row = await db
    .selectFrom("repository_cases as c")
    .leftJoin("users as u", "u.id", "c.updated_by")
    .selectAll("c")
    .select("u.name as updated_by_name")
    .where("c.id", "=", caseId)
    .executeTakeFirst();
  if (!row) return null;
  const [tags, relations, attachments, automation] = await Promise.all([
    tagsOfCases(db, [caseId]),
    caseRelations(db, [caseId]),
    db.selectFrom("case_attachments").selectAll().where("case_id", "=", caseId).orderBy("id").execute(),
    automationOfCase(db, caseId),
  ]);
  const { [STEPS_FIELD]: steps, ...custom } = JSON.parse(row.custom_fields) as Record<string, unknown>;
  return {
    id: row.id,
    project_id: row.project_id,
    key: row.key,
    name: row.name,
    folder_id: row.folder_id,
    template_id: row.template_id,
    state_id: row.state_id,
    estimate: row.estimate === null ? null : Number(row.estimate),
    created_at: row.created_at,
    created_by: row.created_by,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
    updated_by_name: row.updated_at ? row.updated_by_name : null,
    steps: presentSteps(steps),
    custom_fields: custom,
    tags: tags.get(caseId) ?? [],
    issues: (relations.issues.get(caseId) ?? []).map((i) => ({
      id: i.issue_id,
      display_id: i.display_id,
      integration_id: i.integration_id,
      connection_project_id: i.connection_project_id,
    })),
    attachments: attachments.map(presentAttachment),
    automation,
  };
}
