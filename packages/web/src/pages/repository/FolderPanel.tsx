import type { RepositoryFolder } from "@assay/api";
import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { SelectField } from "../../ui/SelectField";
import { FolderTree } from "./FolderTree";
import { type MoveTarget, moveDestinations } from "./folder-tree";
import { useCreateFolder, useDeleteFolder, useFolderContents, useMoveFolder, useRenameFolder } from "./hooks";

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The left side of the repository: "All cases", the folder tree, and (for editors) its actions. */
export function FolderPanel({
  projectId,
  folders,
  selectedId,
  canEdit,
  onSelect,
}: {
  projectId: number;
  folders: RepositoryFolder[];
  selectedId: number | null;
  canEdit: boolean;
  onSelect: (id: number | null) => void;
}) {
  const rename = useRenameFolder(projectId);
  const move = useMoveFolder(projectId);
  const [moving, setMoving] = useState<RepositoryFolder | null>(null);
  const [deleting, setDeleting] = useState<RepositoryFolder | null>(null);
  const [status, setStatus] = useState("");
  const [reveal, setReveal] = useState<{ id: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const selected = folders.find((f) => f.id === selectedId) ?? null;

  function moveFolder(folder: RepositoryFolder, target: MoveTarget) {
    setError(null);
    const parent = folders.find((f) => f.id === target.parent_id);
    move.mutate(
      { id: folder.id, ...target },
      {
        onSuccess: () => {
          setReveal({ id: folder.id });
          setStatus(
            `Moved “${folder.name}” to ${parent ? `“${parent.name}”` : "the top level"}, position ${target.position + 1}.`,
          );
        },
        onError: (e) => setError(errorMessage(e)),
      },
    );
  }

  async function renameFolder(folder: RepositoryFolder, name: string): Promise<boolean> {
    setError(null);
    try {
      await rename.mutateAsync({ id: folder.id, name });
      setStatus(`Renamed “${folder.name}” to “${name}”.`);
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? (e.field("name") ?? e.message) : errorMessage(e));
      return false;
    }
  }

  return (
    <aside className="repository__folders" aria-label="Folders">
      <h2 className="section-title">Folders</h2>
      <button
        type="button"
        className={`repository__all${selectedId === null ? " repository__all--selected" : ""}`}
        aria-pressed={selectedId === null}
        onClick={() => onSelect(null)}
      >
        All cases
      </button>
      {folders.length > 0 ? (
        <FolderTree
          folders={folders}
          selectedId={selectedId}
          reveal={reveal}
          canEdit={canEdit}
          onSelect={onSelect}
          onRename={renameFolder}
          onMove={moveFolder}
          onMoveDialog={setMoving}
          onDelete={setDeleting}
        />
      ) : (
        <p className="muted">No folders yet.</p>
      )}
      {canEdit ? (
        <p className="repository__keys muted" id="folder-keys">
          Keys: F2 renames, Alt+↑/↓ reorders, M moves, Delete deletes. Or drag a folder onto another.
        </p>
      ) : null}
      <p className="sr-only" role="status">
        {status}
      </p>
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      {canEdit ? (
        <>
          <div className="repository__folder-actions">
            <Button disabled={!selected} onClick={() => selected && setMoving(selected)}>
              Move to…
            </Button>
            <Button variant="danger" disabled={!selected} onClick={() => selected && setDeleting(selected)}>
              Delete folder
            </Button>
          </div>
          <NewFolderForm
            projectId={projectId}
            parent={selected}
            onCreated={(f) => {
              setStatus(`Created “${f.name}”.`);
              // a folder added under a closed parent opens it, so the new folder is in sight
              setReveal({ id: f.id });
            }}
          />
        </>
      ) : null}
      {moving ? (
        <MoveFolderDialog
          folders={folders}
          folder={moving}
          busy={move.isPending}
          onCancel={() => setMoving(null)}
          onMove={(parentId) => {
            const count = folders.filter((f) => f.parent_id === parentId && f.id !== moving.id).length;
            moveFolder(moving, { parent_id: parentId, position: count });
            setMoving(null);
          }}
        />
      ) : null}
      <DeleteFolderDialog
        projectId={projectId}
        folder={deleting}
        onClose={(deleted) => {
          if (deleted && deleting) {
            setStatus(`Deleted “${deleting.name}”.`);
            if (selectedId !== null && deleting.id === selectedId) onSelect(null);
          }
          setDeleting(null);
        }}
      />
    </aside>
  );
}

function NewFolderForm({
  projectId,
  parent,
  onCreated,
}: {
  projectId: number;
  parent: RepositoryFolder | null;
  onCreated: (folder: RepositoryFolder) => void;
}) {
  const create = useCreateFolder(projectId);
  const [name, setName] = useState("");
  const fieldError =
    create.error instanceof ApiError ? (create.error.field("folders.0.name") ?? create.error.message) : null;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return;
    const folder = await create.mutateAsync({ name: name.trim(), parent_id: parent?.id ?? null }).catch(() => null);
    if (folder) {
      setName("");
      onCreated(folder);
    }
  }

  return (
    <form className="form repository__new-folder" onSubmit={onSubmit}>
      <TextField
        label={parent ? `New folder in “${parent.name}”` : "New top-level folder"}
        value={name}
        maxLength={255}
        error={create.isError ? fieldError : null}
        onChange={(event) => setName(event.target.value)}
      />
      <Button type="submit" busy={create.isPending}>
        Add folder
      </Button>
    </form>
  );
}

/** "Move to…": the keyboard way to move a folder (a list of every folder it may go into). */
function MoveFolderDialog({
  folders,
  folder,
  busy,
  onCancel,
  onMove,
}: {
  folders: RepositoryFolder[];
  folder: RepositoryFolder;
  busy: boolean;
  onCancel: () => void;
  onMove: (parentId: number | null) => void;
}) {
  const [parent, setParent] = useState(folder.parent_id === null ? "" : String(folder.parent_id));
  const destinations = moveDestinations(folders, folder);
  return (
    <ConfirmDialog
      open
      title={`Move “${folder.name}” to…`}
      confirmLabel="Move folder"
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => onMove(parent === "" ? null : Number(parent))}
    >
      <SelectField label="New parent folder" value={parent} onChange={(event) => setParent(event.target.value)}>
        <option value="">Top level</option>
        {destinations.map((d) => (
          <option key={d.id} value={d.id}>
            {d.path}
          </option>
        ))}
      </SelectField>
      <p className="muted">Its sub-folders and cases move with it. It goes last among its new siblings.</p>
    </ConfirmDialog>
  );
}

/** Deleting a folder says first what goes with it (sub-folders, cases, attachments). */
function DeleteFolderDialog({
  projectId,
  folder,
  onClose,
}: {
  projectId: number;
  folder: RepositoryFolder | null;
  onClose: (deleted: boolean) => void;
}) {
  const contents = useFolderContents(folder?.id ?? null);
  const remove = useDeleteFolder(projectId);
  const counts = contents.data;
  return (
    <ConfirmDialog
      open={folder !== null}
      title={`Delete the folder “${folder?.name ?? ""}”?`}
      confirmLabel="Delete folder"
      danger
      busy={remove.isPending || contents.isPending}
      onCancel={() => {
        remove.reset();
        onClose(false);
      }}
      onConfirm={() => folder && remove.mutate(folder.id, { onSuccess: () => onClose(true) })}
    >
      {counts ? (
        <p>
          This also deletes {plural(counts.folders, "sub-folder", "sub-folders")},{" "}
          {plural(counts.cases, "case", "cases")} and {plural(counts.attachments, "attachment", "attachments")}. This
          cannot be undone.
        </p>
      ) : contents.isError ? (
        <p className="form__error">{errorMessage(contents.error)}</p>
      ) : (
        <p>Counting what it contains…</p>
      )}
      {remove.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(remove.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
