import type { AutomationArtifact, AutomationField, CompactRunTests, RunTestDetail } from "@assay/api";
import type { StatusCatalog } from "../../services/statuses.js";
import { presentRunTest } from "../automation-run-tests/presenter.js";
import type { CompactColumns, RunTestDetailRow } from "./queries.js";

export function presentCompact(runId: number, columns: CompactColumns): CompactRunTests {
  return { automation_run_id: runId, total: columns.ids.length, ...columns };
}

/** The test as §7 lists it, plus its fields and artifacts as the run objects present theirs. */
export function presentRunTestDetail(
  statuses: StatusCatalog,
  projectId: number,
  row: RunTestDetailRow,
  repositoryCaseId: number | null,
): RunTestDetail {
  return {
    ...presentRunTest(statuses, projectId, row, repositoryCaseId),
    fields: parseList(row.fields).map(presentField),
    artifacts: parseList(row.artifacts).map(presentArtifact),
  };
}

function parseList(text: string | null): Record<string, unknown>[] {
  if (!text) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function presentField(item: Record<string, unknown>): AutomationField {
  return {
    type: item.type as number,
    name: item.name as string,
    value: (item.value as string | undefined) ?? null,
    meta: (item.meta as Record<string, string> | undefined) ?? null,
    is_highlight: item.is_highlight === true,
  };
}

function presentArtifact(item: Record<string, unknown>): AutomationArtifact {
  return {
    name: item.name as string,
    note: (item.note as string | undefined) ?? null,
    url: item.url as string,
    mime_type: (item.mime_type as string | undefined) ?? null,
    size: (item.size as number | undefined) ?? null,
  };
}
