import type { Attachment } from "@assay/api";
import type { AttachmentRow } from "../../services/repository.js";

/**
 * Rows → Testmo's Attachment. `path` is the download URL relative to the
 * server's origin; it needs the bearer token like every API call (Open point 24).
 * Thumbnails and previews are not generated.
 */
export function presentAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    name: row.name,
    note: row.note,
    mime_type: row.mime_type,
    size: Number(row.size),
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    path: `/api/v1/attachments/${row.id}/download`,
    path_thumbnail: null,
    path_preview: null,
  };
}
