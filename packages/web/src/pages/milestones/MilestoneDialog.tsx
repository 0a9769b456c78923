import type { Milestone } from "@assay/api";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { TextAreaField } from "../../ui/TextAreaField";
import { parseTags, useSaveMilestone } from "./hooks";

/**
 * Create (milestone null) or edit a milestone in a modal `<dialog>`: name, description, dates and the
 * automation tags that link automation runs to it. A refused save keeps the input and shows each field's
 * message next to it.
 */
export function MilestoneDialog({
  projectId,
  milestone,
  onClose,
  onSaved,
}: {
  projectId: number;
  milestone: Milestone | null;
  onClose: () => void;
  onSaved?: (milestone: Milestone) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const save = useSaveMilestone(projectId, milestone?.id ?? null);
  const [name, setName] = useState(milestone?.name ?? "");
  const [note, setNote] = useState(milestone?.note ?? "");
  const [startDate, setStartDate] = useState(milestone?.start_date ?? "");
  const [dueDate, setDueDate] = useState(milestone?.due_date ?? "");
  const [tags, setTags] = useState(milestone?.automation_tags.join(", ") ?? "");
  const error = save.error instanceof ApiError ? save.error : null;
  const fieldNames = ["name", "note", "start_date", "due_date", "automation_tags"];
  const hasFieldError = fieldNames.some((f) => error?.field(f));

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || dialog.open) return;
    const opener = document.activeElement as HTMLElement | null;
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const saved = await save
      .mutateAsync({
        name: name.trim(),
        note: note.trim() || null,
        start_date: startDate || null,
        due_date: dueDate || null,
        automation_tags: parseTags(tags),
      })
      .catch(() => null);
    if (saved) {
      onSaved?.(saved);
      onClose();
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog milestone-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!save.isPending) onClose();
      }}
    >
      <h2 id={titleId} className="dialog__title">
        {milestone ? `Edit “${milestone.name}”` : "New milestone"}
      </h2>
      <form className="form" onSubmit={onSubmit}>
        <TextField
          label="Name"
          required
          maxLength={750}
          value={name}
          error={error?.field("name")}
          onChange={(event) => setName(event.target.value)}
        />
        <TextAreaField
          label="Description"
          hint="Plain text."
          rows={3}
          value={note}
          error={error?.field("note")}
          onChange={(event) => setNote(event.target.value)}
        />
        <div className="form__row">
          <TextField
            label="Start date"
            type="date"
            value={startDate}
            error={error?.field("start_date")}
            onChange={(event) => setStartDate(event.target.value)}
          />
          <TextField
            label="Due date"
            type="date"
            value={dueDate}
            error={error?.field("due_date")}
            onChange={(event) => setDueDate(event.target.value)}
          />
        </div>
        <TextField
          label="Automation tags"
          hint="Comma-separated. Automation runs submitted with one of these tags join this milestone."
          value={tags}
          error={error?.field("automation_tags")}
          onChange={(event) => setTags(event.target.value)}
        />
        {save.isError && !hasFieldError ? (
          <p className="form__error" role="alert">
            {errorMessage(save.error)}
          </p>
        ) : null}
        <div className="dialog__actions">
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!name.trim()}>
            {milestone ? "Save milestone" : "Create milestone"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
