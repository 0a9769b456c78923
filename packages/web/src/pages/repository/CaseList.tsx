import type { CaseListItem, PageEnvelope, RepositoryFolder, RepositoryOptions } from "@assay/api";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { EmptyState } from "../../ui/EmptyState";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { formatCaseKey } from "../../ui/format";
import { Pager } from "../../ui/Pager";
import { SelectField } from "../../ui/SelectField";
import { moveDestinations } from "./folder-tree";
import { type BulkChange, useBulkDeleteCases, useBulkUpdateCases, useCreateCase } from "./hooks";

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The cases of the open folder (and its sub-folders), with selection and bulk actions for editors. */
export function CaseList({
  projectId,
  envelope,
  options,
  folders,
  folderId,
  selected,
  canEdit,
  onSelect,
  onPage,
  onCreated,
}: {
  projectId: number;
  envelope: PageEnvelope<CaseListItem>;
  options: RepositoryOptions | undefined;
  folders: RepositoryFolder[];
  folderId: number | null;
  selected: number[];
  canEdit: boolean;
  onSelect: (ids: number[]) => void;
  onPage: (page: number) => void;
  onCreated: (caseId: number) => void;
}) {
  const cases = envelope.result;
  const states = new Map(options?.states.map((s) => [s.id, s.name]));
  const folderNames = new Map(folders.map((f) => [f.id, f.name]));
  const shown = new Set(cases.map((c) => c.id));
  const chosen = selected.filter((id) => shown.has(id));
  const allChosen = cases.length > 0 && chosen.length === cases.length;
  const toggle = (id: number, on: boolean) => onSelect(on ? [...chosen, id] : chosen.filter((x) => x !== id));

  return (
    <section className="repository__cases" aria-labelledby="cases-title">
      <h2 id="cases-title" className="section-title">
        {folderId === null ? "All cases" : `Cases in “${folderNames.get(folderId) ?? "folder"}”`}
      </h2>
      {canEdit ? <NewCaseForm projectId={projectId} folderId={folderId} onCreated={onCreated} /> : null}
      {canEdit && chosen.length > 0 ? (
        <BulkActions
          projectId={projectId}
          ids={chosen}
          options={options}
          folders={folders}
          onDone={() => onSelect([])}
        />
      ) : null}
      {cases.length === 0 ? (
        <EmptyState title="No cases here">
          <p>{canEdit ? "Create one above, or change the search and filters." : "Change the search and filters."}</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Cases</caption>
            <thead>
              <tr>
                {canEdit ? (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select all cases on this page"
                      checked={allChosen}
                      onChange={(event) => onSelect(event.target.checked ? cases.map((c) => c.id) : [])}
                    />
                  </th>
                ) : null}
                <th scope="col">Key</th>
                <th scope="col">Name</th>
                <th scope="col">Folder</th>
                <th scope="col">State</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id} aria-selected={canEdit ? chosen.includes(c.id) : undefined}>
                  {canEdit ? (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${c.name}`}
                        checked={chosen.includes(c.id)}
                        onChange={(event) => toggle(c.id, event.target.checked)}
                      />
                    </td>
                  ) : null}
                  <td className="code">{formatCaseKey(c.key)}</td>
                  <td>
                    <Link to="/projects/$projectId/cases/$caseId" params={{ projectId, caseId: c.id }}>
                      {c.name}
                    </Link>
                  </td>
                  <td>
                    {c.folder_id === null ? <span className="muted">Top level</span> : folderNames.get(c.folder_id)}
                  </td>
                  <td>{states.get(c.state_id) ?? `State ${c.state_id}`}</td>
                  <td>
                    {c.tags.map((t) => (
                      <span key={t.id} className="repository__tag">
                        {t.name}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager envelope={envelope} noun="cases" onPage={onPage} label="Case pages" />
    </section>
  );
}

function NewCaseForm({
  projectId,
  folderId,
  onCreated,
}: {
  projectId: number;
  folderId: number | null;
  onCreated: (caseId: number) => void;
}) {
  const create = useCreateCase(projectId);
  const [name, setName] = useState("");
  const error = create.error instanceof ApiError ? (create.error.field("cases.0.name") ?? create.error.message) : null;
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    const created = await create.mutateAsync({ name: name.trim(), folder_id: folderId }).catch(() => null);
    if (created) onCreated(created.id);
  }
  return (
    <form className="form__row repository__new-case" onSubmit={onSubmit}>
      <TextField
        label="New case"
        hint="Opens the editor for its steps, tags and attachments."
        value={name}
        maxLength={255}
        error={error}
        onChange={(event) => setName(event.target.value)}
      />
      <Button type="submit" variant="primary" busy={create.isPending}>
        Create case
      </Button>
    </form>
  );
}

type BulkKind = "state" | "tags" | "folder";

/** Bulk edit (state, tags), move and delete of the selected cases. */
function BulkActions({
  projectId,
  ids,
  options,
  folders,
  onDone,
}: {
  projectId: number;
  ids: number[];
  options: RepositoryOptions | undefined;
  folders: RepositoryFolder[];
  onDone: () => void;
}) {
  const update = useBulkUpdateCases(projectId);
  const remove = useBulkDeleteCases(projectId);
  const [kind, setKind] = useState<BulkKind>("state");
  const [state, setState] = useState("");
  const [tags, setTags] = useState("");
  const [folder, setFolder] = useState("");
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [status, setStatus] = useState("");
  const count = plural(ids.length, "case", "cases");

  function change(): BulkChange | null {
    if (kind === "state") return state ? { state_id: Number(state) } : null;
    if (kind === "tags") {
      return {
        tags: tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
      };
    }
    return { folder_id: folder === "" ? null : Number(folder) };
  }

  function onApply(event: FormEvent) {
    event.preventDefault();
    const body = change();
    if (!body) return;
    update.mutate(
      { ids, change: body },
      {
        onSuccess: () => {
          setStatus(`${kind === "folder" ? "Moved" : "Updated"} ${count}.`);
          onDone();
        },
      },
    );
  }

  return (
    <section className="card repository__bulk" aria-label="Bulk actions">
      <p>
        <strong>{count} selected.</strong>
      </p>
      <form className="form__row" onSubmit={onApply}>
        <SelectField label="Change" value={kind} onChange={(event) => setKind(event.target.value as BulkKind)}>
          <option value="state">State</option>
          <option value="tags">Tags</option>
          <option value="folder">Folder (move)</option>
        </SelectField>
        {kind === "state" ? (
          <SelectField label="New state" value={state} onChange={(event) => setState(event.target.value)}>
            <option value="">Choose a state</option>
            {options?.states.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </SelectField>
        ) : kind === "tags" ? (
          <TextField
            label="Tags, comma-separated"
            hint="Replaces the tags of the selected cases; empty removes them."
            value={tags}
            onChange={(event) => setTags(event.target.value)}
          />
        ) : (
          <SelectField label="Move to folder" value={folder} onChange={(event) => setFolder(event.target.value)}>
            <option value="">Top level</option>
            {moveDestinations(folders, null).map((d) => (
              <option key={d.id} value={d.id}>
                {d.path}
              </option>
            ))}
          </SelectField>
        )}
        <Button type="submit" busy={update.isPending} disabled={kind === "state" && !state}>
          {kind === "folder" ? `Move ${count}` : `Apply to ${count}`}
        </Button>
        <Button variant="danger" onClick={() => setConfirmDelete(true)}>
          Delete {count}
        </Button>
      </form>
      {update.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
      <p className="sr-only" role="status">
        {status}
      </p>
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${count}?`}
        confirmLabel={`Delete ${count}`}
        danger
        busy={remove.isPending}
        onCancel={() => {
          remove.reset();
          setConfirmDelete(false);
        }}
        onConfirm={() =>
          remove.mutate(ids, {
            onSuccess: () => {
              setConfirmDelete(false);
              onDone();
            },
          })
        }
      >
        <p>
          {count} with their steps, attachments and links to automated tests will be deleted. This cannot be undone.
        </p>
        {remove.isError ? (
          <p className="form__error" role="alert">
            {errorMessage(remove.error)}
          </p>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}
