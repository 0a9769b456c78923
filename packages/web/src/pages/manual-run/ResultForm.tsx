import type { Connection, IssueInput } from "@assay/api";
import { type Ref, useId, useState } from "react";
import { Button } from "../../ui/Button";
import { TextField } from "../../ui/Field";
import { SelectField } from "../../ui/SelectField";
import { TextAreaField } from "../../ui/TextAreaField";
import { useConnections } from "./hooks";
import { STATUS_KEYS } from "./shortcuts";
import { formatStopwatch } from "./useStopwatch";

/** What the tester has entered for the current test and not saved yet. */
export interface ResultDraft {
  note: string;
  issues: IssueInput[];
  file: File | null;
}

export const EMPTY_DRAFT: ResultDraft = { note: "", issues: [], file: null };

const MAX_FILE_BYTES = 25 * 1024 * 1024;

/**
 * Recording a result: a status button (or its key) saves the comment, the time on the timer, the linked
 * issues and the attached file together.
 */
export function ResultForm({
  draft,
  onDraft,
  onStatus,
  busy,
  commentRef,
  elapsedMs,
  timerRunning,
  onTimer,
  noteError,
  issuesError,
}: {
  draft: ResultDraft;
  onDraft: (draft: ResultDraft) => void;
  onStatus: (statusId: number) => void;
  busy: boolean;
  commentRef: Ref<HTMLTextAreaElement>;
  elapsedMs: number;
  timerRunning: boolean;
  onTimer: () => void;
  noteError?: string | undefined;
  issuesError?: string | undefined;
}) {
  const fileId = useId();
  const [fileError, setFileError] = useState<string | null>(null);
  return (
    <section className="card manual-run__form" aria-label="Record a result">
      <fieldset className="manual-run__statuses">
        <legend className="sr-only">Set the status (saves the result)</legend>
        {STATUS_KEYS.map((s) => (
          <Button
            key={s.key}
            className={`manual-run__status manual-run__status--${s.label.toLowerCase()}`}
            onClick={() => onStatus(s.statusId)}
            disabled={busy}
            aria-keyshortcuts={s.key}
          >
            {s.label} <kbd>{s.key}</kbd>
          </Button>
        ))}
      </fieldset>
      <TextAreaField
        ref={commentRef}
        label={
          <>
            Comment <kbd>c</kbd>
          </>
        }
        hint="Plain text. Esc leaves the field so the keys work again."
        rows={3}
        maxLength={20_000}
        value={draft.note}
        error={noteError}
        onChange={(event) => onDraft({ ...draft, note: event.target.value })}
      />
      <div className="manual-run__row">
        <p className="manual-run__timer">
          <span className="muted">Time on this test</span>{" "}
          <span className="manual-run__clock" role="timer" aria-live="off">
            {formatStopwatch(elapsedMs)}
          </span>{" "}
          <Button variant="ghost" onClick={onTimer} aria-keyshortcuts="t">
            {timerRunning ? "Pause" : "Resume"} timer <kbd>t</kbd>
          </Button>
        </p>
        <div className="field">
          <label htmlFor={fileId} className="field__label">
            Attach a screenshot
          </label>
          <input
            id={fileId}
            className="field__input"
            type="file"
            accept="image/*,.txt,.log,.pdf"
            onChange={(event) => {
              const file = event.target.files?.[0] ?? null;
              if (file && file.size > MAX_FILE_BYTES) {
                setFileError(`“${file.name}” is larger than 25 MB: attach a smaller file.`);
                event.target.value = "";
                return;
              }
              setFileError(null);
              onDraft({ ...draft, file });
            }}
          />
          {draft.file ? <p className="field__hint">Saved with the result: {draft.file.name}</p> : null}
          {fileError ? <p className="field__error">{fileError}</p> : null}
        </div>
      </div>
      <IssueLinker issues={draft.issues} onChange={(issues) => onDraft({ ...draft, issues })} error={issuesError} />
    </section>
  );
}

function trackerLabel(c: Connection): string {
  return c.connection_project_name ? `${c.integration_name}: ${c.connection_project_name}` : c.integration_name;
}

/** Issues to link by key in one of the connected trackers (created in Assay when new). */
function IssueLinker({
  issues,
  onChange,
  error,
}: {
  issues: IssueInput[];
  onChange: (issues: IssueInput[]) => void;
  error?: string | undefined;
}) {
  const connections = useConnections(true);
  const active = (connections.data ?? []).filter((c) => c.is_active);
  const [tracker, setTracker] = useState("0");
  const [key, setKey] = useState("");
  const chosen = active[Number(tracker)] ?? active[0];
  const labelOf = (issue: IssueInput) => {
    const c = active.find(
      (x) =>
        x.integration_id === issue.integration_id &&
        (x.connection_project_id ?? undefined) === issue.connection_project_id,
    );
    return `${issue.display_id}${c ? ` (${trackerLabel(c)})` : ""}`;
  };
  function add() {
    if (!chosen || !key.trim()) return;
    const issue: IssueInput = {
      display_id: key.trim(),
      integration_id: chosen.integration_id,
      ...(chosen.connection_project_id ? { connection_project_id: chosen.connection_project_id } : {}),
    };
    onChange([...issues.filter((i) => labelOf(i) !== labelOf(issue)), issue]);
    setKey("");
  }
  if (connections.isSuccess && active.length === 0) {
    return (
      <p className="muted">
        No issue tracker is connected to Assay, so issues cannot be linked yet. An administrator can connect one under
        Administration → Issue trackers.
      </p>
    );
  }
  return (
    <fieldset className="manual-run__issues">
      <legend>Link an issue</legend>
      <div className="manual-run__row">
        <SelectField label="Tracker" value={tracker} onChange={(event) => setTracker(event.target.value)}>
          {active.map((c, i) => (
            <option key={`${c.integration_id}-${c.connection_project_id ?? 0}`} value={i}>
              {trackerLabel(c)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Issue key"
          placeholder="#123 or PROJ-123"
          maxLength={255}
          value={key}
          onChange={(event) => setKey(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
        />
        <Button className="manual-run__add-issue" disabled={!chosen || key.trim() === ""} onClick={add}>
          Add issue
        </Button>
      </div>
      {issues.length > 0 ? (
        <ul className="manual-run__chips" aria-label="Issues to link">
          {issues.map((issue) => (
            <li key={labelOf(issue)} className="manual-run__chip">
              {labelOf(issue)}{" "}
              <Button variant="ghost" onClick={() => onChange(issues.filter((i) => i !== issue))}>
                Remove <span className="sr-only">{issue.display_id}</span>
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <p className="field__error">{error}</p> : null}
    </fieldset>
  );
}
