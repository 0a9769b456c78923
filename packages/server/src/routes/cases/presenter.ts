import type { CreatedRepositoryCase, RepositoryCase } from "@assay/api";
import type { CaseRelations, CaseRow } from "../../services/repository.js";

function scalars(row: CaseRow) {
  return {
    id: row.id,
    project_id: row.project_id,
    repo_id: row.project_id,
    key: row.key,
    name: row.name,
    folder_id: row.folder_id,
    template_id: row.template_id,
    state_id: row.state_id,
    status_id: row.status_id,
    status_at: row.status_at,
    estimate: row.estimate,
    forecast: row.forecast,
    has_automation: false,
    // Assay does not derive case statuses from automation results (yet).
    has_automation_status: false,
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
  };
}

/** Custom field values (`custom_*`) are returned as top-level keys, as they were sent. */
function custom(row: CaseRow): Record<string, unknown> {
  return JSON.parse(row.custom_fields) as Record<string, unknown>;
}

/** List items: relations as id arrays, resolved through expands. */
export function presentCase(row: CaseRow, relations: CaseRelations): RepositoryCase {
  const links = relations.automationLinks.get(row.id) ?? [];
  return {
    ...custom(row),
    ...scalars(row),
    has_automation: links.length > 0,
    automation_links: links.map((l) => l.automation_case_id),
    tags: (relations.tags.get(row.id) ?? []).map((t) => t.tag_id),
    issues: (relations.issues.get(row.id) ?? []).map((i) => i.issue_id),
    history: [],
    comments: [],
  };
}

/** Create and update responses: relations embedded as objects. */
export function presentCreatedCase(row: CaseRow, relations: CaseRelations): CreatedRepositoryCase {
  const links = relations.automationLinks.get(row.id) ?? [];
  return {
    ...custom(row),
    ...scalars(row),
    has_automation: links.length > 0,
    automation_links: links,
    tags: relations.tags.get(row.id) ?? [],
    issues: relations.issues.get(row.id) ?? [],
  };
}
