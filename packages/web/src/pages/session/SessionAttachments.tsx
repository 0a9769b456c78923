import { useRef, useState } from "react";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { QueryState } from "../../ui/QueryState";
import { useSessionAttachments, useUploadFile } from "./hooks";

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** Files of the session (downloads, never shown inline) and, while open, an upload with its progress. */
export function SessionAttachments({ sessionId, writable }: { sessionId: number; writable: boolean }) {
  const attachments = useSessionAttachments(sessionId);
  return (
    <section className="card" aria-labelledby="session-files">
      <h2 id="session-files" className="section-title">
        Files
      </h2>
      <QueryState query={attachments} loadingLabel="Loading files…">
        {(files) =>
          files.length === 0 ? (
            <p className="muted">No files yet.</p>
          ) : (
            <ul className="session__files">
              {files.map((file) => (
                <li key={file.id}>
                  <a href={file.path} download={file.name}>
                    {file.name}
                  </a>{" "}
                  <span className="muted">{formatBytes(file.size)}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      {writable ? <Upload sessionId={sessionId} /> : null}
    </section>
  );
}

function Upload({ sessionId }: { sessionId: number }) {
  const upload = useUploadFile(sessionId);
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  return (
    <form
      className="form session__upload"
      aria-label="Attach a file"
      onSubmit={(event) => {
        event.preventDefault();
        if (!file) return;
        setProgress(0);
        upload.mutate(
          { file, onProgress: setProgress },
          {
            onSuccess: () => {
              setFile(null);
              if (input.current) input.current.value = "";
            },
          },
        );
      }}
    >
      <div className="field">
        <label htmlFor={`session-file-${sessionId}`} className="field__label">
          File
        </label>
        <input
          ref={input}
          id={`session-file-${sessionId}`}
          type="file"
          className="field__input"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </div>
      {upload.isPending ? (
        <progress className="session__progress" max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)}%
        </progress>
      ) : null}
      <div className="session__actions">
        <Button type="submit" busy={upload.isPending} disabled={!file}>
          Upload
        </Button>
        {upload.isSuccess ? <span role="status">Uploaded.</span> : null}
      </div>
      {upload.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(upload.error)}
        </p>
      ) : null}
    </form>
  );
}
