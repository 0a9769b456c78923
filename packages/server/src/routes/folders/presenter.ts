import type { RepositoryFolder } from "@assay/api";
import type { FolderRow } from "../../services/repository.js";

/** Rows → Testmo's RepositoryFolder; one repository per project, so `repo_id` is the project id. */
export function presentFolder(row: FolderRow): RepositoryFolder {
  return {
    id: row.id,
    project_id: row.project_id,
    repo_id: row.project_id,
    name: row.name,
    parent_id: row.parent_id,
    depth: row.depth,
    docs: row.docs,
    display_order: row.display_order,
  };
}
