import type { Connection } from "@assay/api";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { fetchAllPages } from "../../api/pages";
import { Button } from "../../ui/Button";
import { TextField } from "../../ui/Field";
import { SelectField } from "../../ui/SelectField";
import type { DraftIssue } from "./case-draft";

/** Trackers issues can live in: one choice per integration and external project. */
function useTrackers(enabled: boolean) {
  return useQuery({
    queryKey: ["issues", "connections"],
    queryFn: ({ signal }) => fetchAllPages<Connection>("/issues/connections", { is_active: true }, { signal }),
    enabled,
    staleTime: 60_000,
  });
}

const issueKey = (i: DraftIssue) => `${i.integration_id}:${i.connection_project_id ?? ""}:${i.display_id}`;

const trackerValue = (c: Pick<Connection, "integration_id" | "connection_project_id">) =>
  `${c.integration_id}:${c.connection_project_id ?? ""}`;

/** The case's issues: remove one, or add a tracker's key (found or created when the case is saved). */
export function IssuesEditor({
  issues,
  canEdit,
  error,
  onChange,
}: {
  issues: DraftIssue[];
  canEdit: boolean;
  error: (name: string) => string | undefined;
  onChange: (issues: DraftIssue[]) => void;
}) {
  const trackers = useTrackers(canEdit);
  const [tracker, setTracker] = useState("");
  const [key, setKey] = useState("");
  const choices = trackers.data ?? [];
  const chosen = choices.find((c) => trackerValue(c) === tracker) ?? choices[0];
  const issueErrors = issues
    .flatMap((_, i) => ["", ".integration_id", ".connection_project_id"].map((part) => error(`issues.${i}${part}`)))
    .filter(Boolean);

  function add() {
    if (!chosen || !key.trim()) return;
    const issue = {
      display_id: key.trim(),
      integration_id: chosen.integration_id,
      connection_project_id: chosen.connection_project_id,
    };
    setKey("");
    // The same key twice is one issue.
    if (issues.some((i) => issueKey(i) === issueKey(issue))) return;
    onChange([...issues, issue]);
  }

  return (
    <section className="case-issues" aria-labelledby="issues-title">
      <h2 id="issues-title" className="section-title">
        Issues
      </h2>
      {issues.length === 0 ? <p className="muted">No linked issues.</p> : null}
      <ul className="case-page__issues">
        {issues.map((issue, index) => (
          <li key={issueKey(issue)}>
            <span className="code">{issue.display_id}</span>
            {issue.id === undefined ? <span className="muted"> (added on save)</span> : null}{" "}
            {canEdit ? (
              <Button
                variant="ghost"
                aria-label={`Remove issue ${issue.display_id}`}
                onClick={() => onChange(issues.filter((_, i) => i !== index))}
              >
                Remove
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {issueErrors.map((message) => (
        <p key={message} className="field__error">
          {message}
        </p>
      ))}
      {canEdit && choices.length > 0 ? (
        <div className="form__row">
          <SelectField
            label="Tracker"
            value={chosen ? trackerValue(chosen) : ""}
            onChange={(e) => setTracker(e.target.value)}
          >
            {choices.map((c) => (
              <option key={trackerValue(c)} value={trackerValue(c)}>
                {c.integration_name}
                {c.connection_project_name ? `: ${c.connection_project_name}` : ""}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Issue key"
            placeholder="e.g. SHOP-12"
            value={key}
            maxLength={255}
            onChange={(e) => setKey(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                add();
              }
            }}
          />
          <Button onClick={add} disabled={!key.trim()}>
            Add issue
          </Button>
        </div>
      ) : null}
      {canEdit && trackers.isSuccess && choices.length === 0 ? (
        <p className="muted">
          No issue tracker is connected; an administrator can add one under Administration → Issue trackers.
        </p>
      ) : null}
    </section>
  );
}
