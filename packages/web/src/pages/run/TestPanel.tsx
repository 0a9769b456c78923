import { Link } from "@tanstack/react-router";
import { type KeyboardEvent, useId } from "react";
import { isApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { Duration } from "../../ui/Duration";
import { ErrorState } from "../../ui/ErrorState";
import { Loading } from "../../ui/Loading";
import { StatusChip } from "../../ui/StatusChip";
import { ArtifactList, FieldList } from "./content";
import { useRunTest } from "./hooks";
import { statusName, toneOf } from "./TestTable";
import { messageOf, nameOf, type Outcomes, type StatusInfo, type TestData } from "./table-model";

/**
 * The selected test (`?test=<id>`) beside the table: what the table knows at once (name, status, duration,
 * message), then its fields — the failure text and console output with their ANSI colours, as text — its
 * artifacts, and links to its history and its failure group. Escape (or the close button) closes it.
 */
export function TestPanel({
  testId,
  data,
  index,
  outcomes,
  statuses,
  failureGroupLabel,
  onClose,
}: {
  testId: number;
  data: TestData;
  /** the test's index in `data`, or −1 while it is not loaded (a deep link before the full list) */
  index: number;
  outcomes: Outcomes;
  statuses: ReadonlyMap<number, StatusInfo>;
  failureGroupLabel: (groupId: number) => string | null;
  onClose: () => void;
}) {
  const detail = useRunTest(testId);
  const titleId = useId();
  const known = index >= 0;
  const name = detail.data?.name ?? (known ? nameOf(data, index) : undefined);
  const statusId = detail.data?.status_id ?? (known ? data.statusIds[index] : undefined);
  const elapsedFromData = known ? data.elapsed[index]! : Number.NaN;
  const elapsed = detail.data ? detail.data.elapsed : Number.isNaN(elapsedFromData) ? null : elapsedFromData;
  const folder = detail.data?.folder ?? (known ? data.folders[data.folderIndex[index]!] : undefined);
  const message = detail.data?.message ?? (known ? messageOf(data, index) : null);
  const caseId = detail.data?.automation_case_id ?? (known ? data.caseIds[index] : undefined);
  const groupId = detail.data?.failure_group_id ?? (known && data.groupIds[index]! > 0 ? data.groupIds[index] : null);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === "Escape") {
      event.preventDefault();
      onClose();
    }
  }

  return (
    // Escape anywhere in the panel closes it
    <section className="test-panel" aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <div className="test-panel__head">
        <h2 id={titleId} className="test-panel__title">
          <span className="sr-only">Test: </span>
          {name ?? `Test ${testId}`}
        </h2>
        <Button variant="ghost" onClick={onClose} aria-label="Close test details" className="test-panel__close">
          <span aria-hidden="true">×</span>
        </Button>
      </div>
      <div className="test-panel__facts">
        {statusId !== undefined ? (
          <StatusChip tone={toneOf(statusId, outcomes)}>{statusName(statusId, statuses)}</StatusChip>
        ) : null}
        <span>
          <span className="muted">Duration </span>
          <Duration micros={elapsed} />
        </span>
        {folder ? (
          <span className="test-panel__folder">
            <span className="muted">Folder </span>
            {folder}
          </span>
        ) : null}
        {detail.data?.file ? (
          <span className="test-panel__file">
            <span className="muted">File </span>
            <code>
              {detail.data.file}
              {detail.data.line !== null ? `:${detail.data.line}` : ""}
            </code>
          </span>
        ) : null}
      </div>
      <ul className="test-panel__links">
        {caseId !== undefined ? (
          <li>
            <Link to="/automation/cases/$caseId" params={{ caseId }}>
              History of this test
            </Link>
          </li>
        ) : null}
        {groupId ? (
          <li>
            <Link to="/failure-groups/$groupId" params={{ groupId }}>
              Failure group #{groupId}
            </Link>
            {failureGroupLabel(groupId) ? <span className="muted"> — {failureGroupLabel(groupId)}</span> : null}
          </li>
        ) : null}
      </ul>
      {message ? (
        <>
          <h3 className="test-panel__section">Message</h3>
          <p className="test-panel__message">{message}</p>
        </>
      ) : null}
      {detail.isPending ? (
        <Loading label="Loading the test's output…" />
      ) : detail.isError ? (
        isApiError(detail.error, 404) ? (
          <p className="muted">This test no longer exists (its run may have been deleted by retention).</p>
        ) : (
          <ErrorState error={detail.error} retry={() => void detail.refetch()} />
        )
      ) : (
        <>
          <h3 className="test-panel__section">Fields</h3>
          <FieldList fields={detail.data.fields} emptyText="No fields (no failure text or output was uploaded)." />
          <h3 className="test-panel__section">Artifacts</h3>
          <ArtifactList artifacts={detail.data.artifacts} />
        </>
      )}
    </section>
  );
}
