import type { ManualRunTest, Run, RunResultAttachment } from "@assay/api";
import type { AppContext } from "../../context.js";
import { findManualRun, issuesOfRuns, linksOfRuns } from "../../storage/repositories/manual.js";
import { presentManualRuns } from "../runs/presenter.js";
import type {
  attachmentsOfRun,
  issuesOfResultIds,
  latestResultsOfRun,
  RunResultAttachmentRow,
  testsOfRun,
} from "./queries.js";

type Db = AppContext["storage"]["db"];

/** The run as Testmo's GET /runs/{id} shows it, read again after a write. */
export async function presentRunById(ctx: AppContext, db: Db, runId: number): Promise<Run> {
  const row = await findManualRun(db, runId);
  if (!row) throw new Error(`run ${runId} vanished inside its own transaction`);
  const [links, issues] = await Promise.all([linksOfRuns(db, [runId]), issuesOfRuns(db, [runId])]);
  return presentManualRuns(ctx.statuses, [row], { links, issues })[0]!;
}

/** Downloaded through the extension, with the session cookie or a token like every API call. */
export function presentResultAttachment(row: RunResultAttachmentRow): RunResultAttachment {
  return {
    id: row.id,
    result_id: row.result_id,
    name: row.name,
    note: null,
    mime_type: row.mime_type,
    size: Number(row.size),
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    path: `/api/v1/x/run-result-attachments/${row.id}/download`,
    path_thumbnail: null,
    path_preview: null,
  };
}

interface TestParts {
  tests: Awaited<ReturnType<typeof testsOfRun>>;
  latest: Awaited<ReturnType<typeof latestResultsOfRun>>;
  issues: Awaited<ReturnType<typeof issuesOfResultIds>>;
  attachments: Awaited<ReturnType<typeof attachmentsOfRun>>;
}

/** Each test with its latest result, that result's issues and files. */
export function presentRunTests({ tests, latest, issues, attachments }: TestParts): ManualRunTest[] {
  const latestByTest = new Map(latest.map((r) => [r.test_id, r]));
  return tests.map((t) => {
    const result = latestByTest.get(t.id);
    return {
      id: t.id,
      run_id: t.run_id,
      case_id: t.case_id,
      name: t.name,
      folder_id: t.folder_id ?? null,
      status_id: t.status_id,
      assignee_id: t.assignee_id,
      estimate: t.estimate === null ? null : Number(t.estimate),
      latest_result: result
        ? {
            id: result.id,
            status_id: result.status_id,
            note: result.note,
            elapsed: Number(result.elapsed),
            issues: issues
              .filter((i) => i.result_id === result.id)
              .map((i) => ({ id: i.id, display_id: i.display_id })),
            attachments: attachments.filter((a) => a.result_id === result.id).map(presentResultAttachment),
            created_at: result.created_at,
            created_by: result.created_by ?? 0,
          }
        : null,
    };
  });
}
