import type { Attachment } from "@assay/api";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { caseQuery, uploadAttachment, useDeleteAttachment } from "./hooks";

/** A file size people read: bytes, KB or MB (decimal, like file managers). */
export function formatBytes(size: number): string {
  if (size < 1000) return `${size} B`;
  if (size < 1_000_000) return `${(size / 1000).toFixed(1)} KB`;
  return `${(size / 1_000_000).toFixed(1)} MB`;
}

/** The case's files: image previews, download links, and (for editors) upload with progress and delete. */
export function Attachments({
  caseId,
  attachments,
  canEdit,
}: {
  caseId: number;
  attachments: Attachment[];
  canEdit: boolean;
}) {
  return (
    <section className="case-attachments" aria-labelledby="attachments-title">
      <h2 id="attachments-title" className="section-title">
        Attachments
      </h2>
      {attachments.length === 0 ? <p className="muted">No attachments.</p> : null}
      <ul className="case-attachments__list">
        {attachments.map((a) => (
          <AttachmentItem key={a.id} caseId={caseId} attachment={a} canEdit={canEdit} />
        ))}
      </ul>
      {canEdit ? <UploadForm caseId={caseId} /> : null}
    </section>
  );
}

function AttachmentItem({ caseId, attachment, canEdit }: { caseId: number; attachment: Attachment; canEdit: boolean }) {
  const remove = useDeleteAttachment(caseId);
  const isImage = attachment.mime_type.startsWith("image/") && attachment.mime_type !== "image/svg+xml";
  return (
    <li className="case-attachments__item card">
      {isImage ? (
        <img className="case-attachments__preview" src={attachment.path} alt={`Preview of ${attachment.name}`} />
      ) : null}
      <div>
        <a href={attachment.path} download={attachment.name}>
          {attachment.name}
        </a>{" "}
        <span className="muted">({formatBytes(attachment.size)})</span>
      </div>
      {canEdit ? (
        <Button
          variant="ghost"
          busy={remove.isPending}
          aria-label={`Delete attachment ${attachment.name}`}
          onClick={() => remove.mutate(attachment.id)}
        >
          Delete
        </Button>
      ) : null}
      {remove.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(remove.error)}
        </p>
      ) : null}
    </li>
  );
}

function UploadForm({ caseId }: { caseId: number }) {
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const files = [...(input.current?.files ?? [])];
    if (files.length === 0) {
      setError("Choose a file first.");
      return;
    }
    setError(null);
    for (const file of files) {
      setProgress(0);
      try {
        await uploadAttachment(caseId, file, setProgress).done;
        setStatus(`Uploaded ${file.name}.`);
      } catch (e) {
        setError(`${file.name}: ${errorMessage(e)}`);
        break;
      }
    }
    setProgress(null);
    if (input.current) input.current.value = "";
    await queryClient.invalidateQueries({ queryKey: caseQuery(caseId).queryKey });
  }

  return (
    <form className="form__row case-attachments__upload" onSubmit={onSubmit}>
      <div className="field">
        <label className="field__label" htmlFor="attachment-file">
          Add files
        </label>
        <input ref={input} id="attachment-file" className="field__input" type="file" multiple />
      </div>
      <Button type="submit" busy={progress !== null}>
        Upload
      </Button>
      {progress !== null ? (
        <progress className="case-attachments__progress" max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)}%
        </progress>
      ) : null}
      <p className="sr-only" role="status">
        {status}
      </p>
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
