import type { CreateManualRun, Run } from "@assay/api";
import { type FormEvent, useId, useMemo, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { SelectField } from "../../ui/SelectField";
import { CasePicker } from "./CasePicker";
import { useConfigs, useCreateManualRun, useMilestoneOptions, useProjectUsers, useRepository } from "./hooks";
import { countSelected, tagList } from "./selection";

/** The messages of a field and of its items (`assignee_ids.1`), joined; undefined when there are none. */
function fieldMessages(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = Object.entries(error.fieldErrors)
    .filter(([key]) => key === field || key.startsWith(`${field}.`))
    .flatMap(([, list]) => list);
  return messages.length > 0 ? [...new Set(messages)].join(" ") : undefined;
}

/**
 * Creates a manual run: a name, cases chosen by folder, one by one or by a filter (name, tags), the testers
 * who share its tests, a milestone and a configuration. A refused request keeps everything entered and
 * shows each field's message next to it.
 */
export function CreateRunForm({
  projectId,
  onClose,
  onCreated,
}: {
  projectId: number;
  onClose: () => void;
  onCreated: (run: Run) => void;
}) {
  const create = useCreateManualRun(projectId);
  const milestones = useMilestoneOptions(projectId);
  const configs = useConfigs(projectId);
  const users = useProjectUsers(projectId);
  const repository = useRepository(projectId, true);
  const [name, setName] = useState("");
  const [milestoneId, setMilestoneId] = useState("");
  const [config, setConfig] = useState("");
  const [folderIds, setFolderIds] = useState<Set<number>>(new Set());
  const [caseIds, setCaseIds] = useState<Set<number>>(new Set());
  const [filterName, setFilterName] = useState("");
  const [filterTags, setFilterTags] = useState("");
  const [assignees, setAssignees] = useState<Set<number>>(new Set());
  const titleId = useId();
  const configListId = useId();

  const selected = useMemo(
    () => (repository.data ? countSelected(repository.data, folderIds, caseIds) : 0),
    [repository.data, folderIds, caseIds],
  );
  const hasFilter = filterName.trim() !== "" || tagList(filterTags).length > 0;
  const error = create.error;
  const selectionError =
    fieldMessages(error, "folder_ids") ?? fieldMessages(error, "case_ids") ?? fieldMessages(error, "case_filter");
  const knownFieldError = ["name", "milestone_id", "config_id", "config_name", "assignee_ids"].some((f) =>
    fieldMessages(error, f),
  );

  function body(): CreateManualRun {
    const existing = configs.data?.find((c) => c.name === config.trim());
    const tags = tagList(filterTags);
    return {
      name: name.trim(),
      milestone_id: milestoneId ? Number(milestoneId) : null,
      ...(existing ? { config_id: existing.id } : config.trim() ? { config_name: config.trim() } : {}),
      ...(folderIds.size > 0 ? { folder_ids: [...folderIds] } : {}),
      ...(caseIds.size > 0 ? { case_ids: [...caseIds] } : {}),
      ...(hasFilter
        ? {
            case_filter: {
              ...(filterName.trim() ? { name: filterName.trim() } : {}),
              ...(tags.length ? { tags } : {}),
            },
          }
        : {}),
      assignee_ids: [...assignees],
    };
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const run = await create.mutateAsync(body()).catch(() => null);
    if (run) onCreated(run);
  }

  const toggle = (set: Set<number>, id: number, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };

  return (
    <form className="card form manual-runs__create" onSubmit={onSubmit} aria-labelledby={titleId} noValidate>
      <h2 id={titleId} className="section-title">
        New manual run
      </h2>
      <div className="manual-runs__create-grid">
        <TextField
          label="Name"
          required
          maxLength={255}
          value={name}
          error={fieldMessages(error, "name")}
          onChange={(event) => setName(event.target.value)}
          hint="E.g. “Release 2.4 regression”."
        />
        <SelectField label="Milestone" value={milestoneId} onChange={(event) => setMilestoneId(event.target.value)}>
          <option value="">No milestone</option>
          {milestones.data?.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
        {fieldMessages(error, "milestone_id") ? (
          <p className="form__error">{fieldMessages(error, "milestone_id")}</p>
        ) : null}
        <TextField
          label="Configuration"
          list={configListId}
          maxLength={255}
          value={config}
          error={fieldMessages(error, "config_id") ?? fieldMessages(error, "config_name")}
          onChange={(event) => setConfig(event.target.value)}
          hint="Pick one or type a new name, e.g. “Firefox on Windows”. Leave empty for none."
        />
        <datalist id={configListId}>
          {configs.data?.map((c) => (
            <option key={c.id} value={c.name} />
          ))}
        </datalist>
      </div>

      <fieldset className="manual-runs__fieldset">
        <legend>Cases</legend>
        <p className="field__hint">
          Choose folders (their subfolders come along), single cases, a filter, or any mix: the run tests each case
          once.
        </p>
        {repository.isPending ? (
          <p className="muted">Loading the repository…</p>
        ) : repository.isError ? (
          <p className="form__error" role="alert">
            {errorMessage(repository.error)}
          </p>
        ) : (
          <CasePicker
            repository={repository.data}
            folderIds={folderIds}
            caseIds={caseIds}
            onFolder={(id, on) => setFolderIds((s) => toggle(s, id, on))}
            onCase={(id, on) => setCaseIds((s) => toggle(s, id, on))}
          />
        )}
        <div className="manual-runs__create-grid">
          <TextField
            label="Filter: name contains"
            maxLength={255}
            value={filterName}
            onChange={(event) => setFilterName(event.target.value)}
          />
          <TextField
            label="Filter: any of these tags"
            hint="Comma-separated, e.g. “smoke, checkout”."
            value={filterTags}
            onChange={(event) => setFilterTags(event.target.value)}
          />
        </div>
        <p className="muted" aria-live="polite">
          {selected} {selected === 1 ? "case" : "cases"} chosen by folder or one by one
          {hasFilter ? ", plus the cases the filter matches" : ""}.
        </p>
        {selectionError ? <p className="field__error">{selectionError}</p> : null}
      </fieldset>

      <fieldset className="manual-runs__fieldset">
        <legend>Testers</legend>
        <p className="field__hint">
          The tests are shared among the testers chosen, in turn. Choose none to assign later.
        </p>
        <ul className="manual-runs__checklist">
          {users.data?.map((user) => (
            <li key={user.id}>
              <label>
                <input
                  type="checkbox"
                  checked={assignees.has(user.id)}
                  onChange={(event) => setAssignees((s) => toggle(s, user.id, event.target.checked))}
                />{" "}
                {user.name}
              </label>
            </li>
          ))}
        </ul>
        {fieldMessages(error, "assignee_ids") ? (
          <p className="field__error">{fieldMessages(error, "assignee_ids")}</p>
        ) : null}
      </fieldset>

      {create.isError ? (
        <p className="form__error" role="alert">
          {selectionError || knownFieldError
            ? "The run was not created. Correct the fields marked above."
            : errorMessage(create.error)}
        </p>
      ) : null}
      <div className="manual-runs__actions">
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create run
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </form>
  );
}
