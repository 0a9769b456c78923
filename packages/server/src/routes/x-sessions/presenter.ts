import type { SessionAttachment, SessionRecording, SessionResult } from "@assay/api";
import type { Selectable } from "kysely";
import type { StatusCatalog } from "../../services/statuses.js";
import type { SessionRow } from "../../storage/repositories/manual.js";
import type { SessionAttachmentTable, SessionResultTable } from "../../storage/schema.js";
import { presentSessions } from "../sessions/presenter.js";
import { runningSpan } from "./recording.js";

/** Testmo's Session plus the charter, notes and timer Assay records on it. */
export function presentRecording(
  statuses: StatusCatalog,
  row: SessionRow,
  issues: readonly { owner_id: number; issue_id: number }[],
  now: Date,
): SessionRecording {
  const [session] = presentSessions(statuses, [row], issues);
  return {
    ...session!,
    charter: row.charter,
    notes: row.notes,
    timer_started_at: row.timer_started_at,
    elapsed_now: Number(row.elapsed) + runningSpan(row, now),
  };
}

export function presentSessionResult(row: Selectable<SessionResultTable>): SessionResult {
  return {
    id: row.id,
    session_id: row.session_id,
    status_id: row.status_id,
    note: row.note,
    elapsed: Number(row.elapsed),
    created_at: row.created_at,
    created_by: row.created_by,
  };
}

export function presentSessionAttachment(row: Selectable<SessionAttachmentTable>): SessionAttachment {
  return {
    id: row.id,
    session_id: row.session_id,
    name: row.name,
    mime_type: row.mime_type,
    size: Number(row.size),
    created_at: row.created_at,
    created_by: row.created_by,
    path: `/api/v1/x/session-attachments/${row.id}/download`,
  };
}
