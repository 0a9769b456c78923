import { getRouteApi } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { ProjectPicker } from "../admin/ProjectPicker";
import {
  draftsOf,
  limitProblem,
  MAX_KEEP_DAYS,
  MAX_KEEP_RUNS,
  type PolicyDraft,
  policiesOf,
  useRetention,
  useSaveRetention,
  useSources,
} from "./hooks";

const routeApi = getRouteApi("/_app/admin/retention");

/** Administration › Retention: per project (`?project=`), how long each source's automation runs are kept. */
export function AdminRetentionPage() {
  const { project: projectId } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  return (
    <>
      <PageHeader title="Retention">
        <p>
          By default every automation run is kept. A policy deletes a source's runs older than some days, beyond some
          number of runs, or both; a source's own policy wins over the project's. Insights stay as they were.
        </p>
      </PageHeader>
      <ProjectPicker projectId={projectId} onChange={(project) => void navigate({ search: { project } })}>
        {(project) => <RetentionEditor key={project.id} projectId={project.id} />}
      </ProjectPicker>
    </>
  );
}

function RetentionEditor({ projectId }: { projectId: number }) {
  const policies = useRetention(projectId);
  const sources = useSources(projectId);
  return (
    <QueryState query={policies} loadingLabel="Loading policies…">
      {(saved) => (
        <QueryState query={sources} loadingLabel="Loading sources…">
          {(list) => (
            <RetentionForm
              projectId={projectId}
              names={new Map(list.map((s) => [s.id, s.name]))}
              initial={draftsOf([null, ...list.map((s) => s.id)], saved)}
            />
          )}
        </QueryState>
      )}
    </QueryState>
  );
}

/** The rows keep what was typed after a refused save; each row shows the server's message for it. */
function RetentionForm({
  projectId,
  names,
  initial,
}: {
  projectId: number;
  names: Map<number, string>;
  initial: PolicyDraft[];
}) {
  const save = useSaveRetention(projectId);
  const [drafts, setDrafts] = useState(initial);
  const [sentRows, setSentRows] = useState<number[]>([]);
  const [saved, setSaved] = useState(false);
  const [checked, setChecked] = useState(false);

  function change(row: number, patch: Partial<PolicyDraft>) {
    setSaved(false);
    setDrafts((all) => all.map((draft, index) => (index === row ? { ...draft, ...patch } : draft)));
  }

  function errorOf(row: number, field?: string): string | undefined {
    const draft = drafts[row];
    if (checked && draft && field === "keep_days") {
      const problem = limitProblem(draft.keepDays, MAX_KEEP_DAYS, "days");
      if (problem) return problem;
    }
    if (checked && draft && field === "keep_runs") {
      const problem = limitProblem(draft.keepRuns, MAX_KEEP_RUNS, "runs");
      if (problem) return problem;
    }
    if (!(save.error instanceof ApiError)) return undefined;
    const sent = sentRows.indexOf(row);
    if (sent < 0) return undefined;
    return save.error.field(field ? `policies.${sent}.${field}` : `policies.${sent}`);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChecked(true);
    const invalid = drafts.some(
      (draft) =>
        limitProblem(draft.keepDays, MAX_KEEP_DAYS, "days") ?? limitProblem(draft.keepRuns, MAX_KEEP_RUNS, "runs"),
    );
    if (invalid) {
      save.reset();
      setSaved(false);
      return;
    }
    const { policies, rows } = policiesOf(drafts);
    setSentRows(rows);
    setSaved(false);
    const done = await save.mutateAsync(policies).then(
      () => true,
      () => false,
    );
    setSaved(done);
  }

  const anyRowError = drafts.some(
    (_, row) => errorOf(row) ?? errorOf(row, "keep_days") ?? errorOf(row, "keep_runs") ?? errorOf(row, "source_id"),
  );
  return (
    <form className="form card admin-section" onSubmit={onSubmit} aria-labelledby="retention-title" noValidate>
      <h2 id="retention-title" className="section-title">
        Policies
      </h2>
      <p className="admin-muted">Leave both empty to keep everything.</p>
      {drafts.map((draft, row) => {
        const scope =
          draft.sourceId === null ? "Whole project" : `Source ${names.get(draft.sourceId) ?? draft.sourceId}`;
        const rowError = errorOf(row) ?? errorOf(row, "source_id");
        return (
          <fieldset key={draft.sourceId ?? "project"} className="admin-policy">
            <legend className="field__label">
              {scope}
              {draft.sourceId === null ? (
                <span className="admin-muted"> (sources without their own policy)</span>
              ) : null}
            </legend>
            <div className="form__row">
              <TextField
                label="Keep days"
                inputMode="numeric"
                value={draft.keepDays}
                error={errorOf(row, "keep_days")}
                onChange={(event) => change(row, { keepDays: event.target.value })}
              />
              <TextField
                label="Keep runs"
                inputMode="numeric"
                value={draft.keepRuns}
                error={errorOf(row, "keep_runs")}
                onChange={(event) => change(row, { keepRuns: event.target.value })}
              />
            </div>
            {rowError ? (
              <p className="field__error" role="alert">
                {rowError}
              </p>
            ) : null}
          </fieldset>
        );
      })}
      <div className="admin-actions admin-actions--start">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save policies
        </Button>
        {saved ? <p role="status">Saved. The next retention pass applies them.</p> : null}
      </div>
      {save.isError && !anyRowError ? (
        <p className="form__error" role="alert">
          {errorMessage(save.error)}
        </p>
      ) : null}
    </form>
  );
}
