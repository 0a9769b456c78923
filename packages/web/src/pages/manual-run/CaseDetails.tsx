import type { Attachment, CaseDetail } from "@assay/api";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { formatCaseKey } from "../../ui/format";
import { formatBytes } from "../case/Attachments";
import { caseQuery } from "../case/hooks";

/** Shown instead of the case when the repository no longer has it: the run keeps working. */
export const DELETED_CASE_MESSAGE = "This case was deleted from the repository; its name is kept in the run.";

/** The description is the field testers read first; the other custom fields follow by name. */
const DESCRIPTION_FIELD = "custom_description";

/**
 * What the tester executes: the repository case of the current test, read live (steps with their
 * expected results, description and other custom fields, attachments), all rendered as text.
 */
export function CaseDetails({ caseId, projectId }: { caseId: number; projectId: number }) {
  const query = useQuery(caseQuery(caseId));
  if (query.isPending) {
    return (
      <p className="muted" role="status">
        Loading the case…
      </p>
    );
  }
  if (query.isError && query.data === undefined) return <CaseLoadError error={query.error} retry={query.refetch} />;
  return <CaseContent detail={query.data as CaseDetail} projectId={projectId} />;
}

function CaseLoadError({ error, retry }: { error: unknown; retry: () => unknown }) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <p className="muted manual-run__case-gone" role="note">
        {DELETED_CASE_MESSAGE}
      </p>
    );
  }
  const prefix =
    error instanceof ApiError && error.status === 403 ? "You cannot read this case" : "The case did not load";
  return (
    <div className="manual-run__case-error" role="alert">
      <p>
        {prefix}: {errorMessage(error)}
      </p>
      {error instanceof ApiError && error.status === 403 ? null : (
        <Button variant="ghost" onClick={() => void retry()}>
          Load the case again
        </Button>
      )}
    </div>
  );
}

function CaseContent({ detail, projectId }: { detail: CaseDetail; projectId: number }) {
  const fields = orderedFields(detail.custom_fields);
  return (
    <section className="manual-run__case" aria-labelledby="current-case-title">
      <div className="manual-run__case-head">
        <h3 id="current-case-title" className="manual-run__subtitle">
          The case
        </h3>
        <Link to="/projects/$projectId/cases/$caseId" params={{ projectId, caseId: detail.id }}>
          Open case {formatCaseKey(detail.key)} in the repository
        </Link>
      </div>
      {fields.map(([name, value]) => (
        <div key={name} className="manual-run__case-field">
          <h4 className="manual-run__case-label">{fieldLabel(name)}</h4>
          {typeof value === "string" ? (
            <p className="manual-run__case-text">{value}</p>
          ) : (
            <p className="manual-run__case-text code">{JSON.stringify(value)}</p>
          )}
        </div>
      ))}
      <CaseSteps steps={detail.steps} />
      {detail.issues.length > 0 ? (
        <p>
          Case issues:{" "}
          {detail.issues.map((issue, i) => (
            <span key={issue.id}>
              {i > 0 ? ", " : ""}
              <span className="manual-run__issue">{issue.display_id}</span>
            </span>
          ))}
        </p>
      ) : null}
      {detail.attachments.length > 0 ? <CaseAttachments attachments={detail.attachments} /> : null}
    </section>
  );
}

function CaseSteps({ steps }: { steps: CaseDetail["steps"] }) {
  if (steps.length === 0) return <p className="muted">The case has no steps.</p>;
  return (
    <ol className="manual-run__steps" aria-label="Steps">
      {steps.map((step, index) => (
        // steps have no ids; their order is their identity
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={index} className="manual-run__step">
          <p className="manual-run__case-text">{step.step || <span className="muted">(no action)</span>}</p>
          {step.expected ? (
            <p className="manual-run__expected">
              <span className="manual-run__case-label">Expected: </span>
              <span className="manual-run__case-text">{step.expected}</span>
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function CaseAttachments({ attachments }: { attachments: Attachment[] }) {
  return (
    <ul className="manual-run__attachments" aria-label="Case attachments">
      {attachments.map((file) => (
        <li key={file.id}>
          {isPreviewable(file) ? (
            <img className="manual-run__thumb" src={file.path} alt={`Preview of ${file.name}`} />
          ) : null}
          <span>
            <a href={file.path} download={file.name}>
              {file.name}
            </a>{" "}
            <span className="muted">({formatBytes(file.size)})</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Images are previewed inline, except SVG (it may carry script; it is offered as a download only). */
function isPreviewable(file: Attachment): boolean {
  return file.mime_type.startsWith("image/") && file.mime_type !== "image/svg+xml";
}

/** Filled custom fields, the description first. */
export function orderedFields(custom: Record<string, unknown>): [string, unknown][] {
  return Object.entries(custom)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .sort(([a], [b]) => (a === DESCRIPTION_FIELD ? -1 : b === DESCRIPTION_FIELD ? 1 : a.localeCompare(b)));
}

/** `custom_expected_outcome` → "Expected outcome". */
function fieldLabel(name: string): string {
  const words = name.replace(/^custom_/, "").replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
