import type { SessionRecording } from "@assay/api";
import { useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextAreaField } from "../../ui/TextAreaField";
import { UnsavedChangesGuard } from "../../ui/UnsavedChangesGuard";
import { useUpdateSession } from "./hooks";

/**
 * The charter or the notes: plain text, shown as text (never as HTML). Editable while the session is open;
 * a failed save keeps what was typed and says why, and leaving the page with unsaved text asks first.
 */
export function SessionText({
  session,
  field,
  label,
  writable,
}: {
  session: SessionRecording;
  field: "charter" | "notes";
  label: string;
  writable: boolean;
}) {
  const saved = session[field] ?? "";
  const [draft, setDraft] = useState(saved);
  const update = useUpdateSession(session.id);
  const fieldError = update.error instanceof ApiError ? update.error.field(field) : undefined;
  const headingId = `session-${field}`;
  if (!writable) {
    return (
      <section className="card" aria-labelledby={headingId}>
        <h2 id={headingId} className="section-title">
          {label}
        </h2>
        {saved ? <p className="session__text">{saved}</p> : <p className="muted">None.</p>}
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby={headingId}>
      <UnsavedChangesGuard when={draft !== saved} what={`your ${label.toLowerCase()}`} />
      <h2 id={headingId} className="section-title">
        {label}
      </h2>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate({ [field]: draft.trim() ? draft : null });
        }}
      >
        <TextAreaField
          label={<span className="sr-only">{label}</span>}
          rows={field === "notes" ? 8 : 3}
          value={draft}
          error={fieldError}
          onChange={(event) => setDraft(event.target.value)}
        />
        <div className="session__actions">
          <Button type="submit" busy={update.isPending} disabled={draft === saved}>
            Save {label.toLowerCase()}
          </Button>
          {update.isSuccess && draft === saved ? <span role="status">Saved.</span> : null}
        </div>
        {update.isError && !fieldError ? (
          <p className="form__error" role="alert">
            {errorMessage(update.error)}
          </p>
        ) : null}
      </form>
    </section>
  );
}
