import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { QueryState } from "../../ui/QueryState";
import { SelectField } from "../../ui/SelectField";
import { RESULT_STATUSES, ResultStatusChip } from "../../ui/StatusChip";
import { TextAreaField } from "../../ui/TextAreaField";
import { Time } from "../../ui/Time";
import { useAddResult, useSessionResults } from "./hooks";

/** Statuses a finding can have (Testmo's defaults, untested aside). */
const FINDING_STATUSES = [2, 3, 4, 5, 6] as const;

/** The session's findings, oldest first, each a status and a plain-text note; and a form to add one. */
export function SessionFindings({ sessionId, writable }: { sessionId: number; writable: boolean }) {
  const results = useSessionResults(sessionId);
  return (
    <section className="card" aria-labelledby="session-findings">
      <h2 id="session-findings" className="section-title">
        Findings
      </h2>
      <QueryState query={results} loadingLabel="Loading findings…">
        {(items) =>
          items.length === 0 ? (
            <p className="muted">No findings yet.</p>
          ) : (
            <ol className="session__findings">
              {items.map((item) => (
                <li key={item.id} className="session__finding">
                  <div className="session__finding-head">
                    <ResultStatusChip statusId={item.status_id} />
                    <Time value={item.created_at} />
                  </div>
                  {item.note ? <p className="session__text">{item.note}</p> : null}
                </li>
              ))}
            </ol>
          )
        }
      </QueryState>
      {writable ? <AddFinding sessionId={sessionId} /> : null}
    </section>
  );
}

function AddFinding({ sessionId }: { sessionId: number }) {
  const add = useAddResult(sessionId);
  const [statusId, setStatusId] = useState<number>(FINDING_STATUSES[0]);
  const [note, setNote] = useState("");
  const error = add.error instanceof ApiError ? add.error : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    add.mutate({ status_id: statusId, note: note.trim() || null }, { onSuccess: () => setNote("") });
  }

  return (
    <form className="form session__add-finding" onSubmit={onSubmit} aria-label="Add a finding">
      <SelectField label="Status" value={statusId} onChange={(event) => setStatusId(Number(event.target.value))}>
        {FINDING_STATUSES.map((id) => (
          <option key={id} value={id}>
            {RESULT_STATUSES[id]!.label}
          </option>
        ))}
      </SelectField>
      {error?.field("status_id") ? <p className="form__error">{error.field("status_id")}</p> : null}
      <TextAreaField
        label="Finding"
        hint="What you saw, plain text."
        rows={3}
        value={note}
        error={error?.field("note")}
        onChange={(event) => setNote(event.target.value)}
      />
      <div className="session__actions">
        <Button type="submit" variant="primary" busy={add.isPending}>
          Add finding
        </Button>
      </div>
      {add.isError && !error?.field("note") && !error?.field("status_id") ? (
        <p className="form__error" role="alert">
          {errorMessage(add.error)}
        </p>
      ) : null}
    </form>
  );
}
