import "./case.css";
import type { CaseDetail, RepositoryFolder, RepositoryOptions } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { formatCaseKey } from "../../ui/format";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { SelectField } from "../../ui/SelectField";
import { Time } from "../../ui/Time";
import { UnsavedChangesGuard } from "../../ui/UnsavedChangesGuard";
import { moveDestinations } from "../repository/folder-tree";
import { useCanEditRepository, useFolders, useRepositoryOptions } from "../repository/hooks";
import { Attachments } from "./Attachments";
import { CaseSidePanels } from "./CaseSidePanels";
import { ConflictNotice } from "./ConflictNotice";
import { CustomFieldsEditor } from "./CustomFieldsEditor";
import { type CaseDraft, type Difference, differences, draftOf, saveBody } from "./case-draft";
import { useCase, useFetchLatestCase, useSaveCase } from "./hooks";
import { IssuesEditor } from "./IssuesEditor";
import { StepsEditor } from "./StepsEditor";

const routeApi = getRouteApi("/_app/projects/$projectId/cases/$caseId");

/** The case editor: loads the case, then edits a draft of it (see CaseEditor). */
export function CasePage() {
  const { projectId, caseId } = routeApi.useParams();
  const detail = useCase(caseId);
  return (
    <QueryState query={detail} loadingLabel="Loading the case…">
      {(loaded) => <CaseEditor key={loaded.id} projectId={projectId} loaded={loaded} />}
    </QueryState>
  );
}

interface Conflict {
  theirs: CaseDetail;
  differences: Difference[];
}

/**
 * The draft lives here, apart from the server's copy: a failed save keeps every input; a save refused
 * because someone else saved first shows their version beside the user's, and the user chooses.
 */
function CaseEditor({ projectId, loaded }: { projectId: number; loaded: CaseDetail }) {
  const canEdit = useCanEditRepository(projectId);
  const options = useRepositoryOptions(projectId);
  const folders = useFolders(projectId);
  const save = useSaveCase(loaded.id, projectId);
  // Attachments and linked tests change apart from the draft (uploads, CI runs): shown from the live copy.
  const live = useCase(loaded.id).data ?? loaded;
  const fetchLatest = useFetchLatestCase(loaded.id);
  // The version the draft is based on: its updated_at goes with the next save.
  const [base, setBase] = useState(loaded);
  const [draft, setDraft] = useState<CaseDraft>(() => draftOf(loaded));
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [status, setStatus] = useState("");
  const change = (patch: Partial<CaseDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const dirty = JSON.stringify(saveBody(base, draft)) !== JSON.stringify(saveBody(base, draftOf(base)));
  const fieldError = (name: string) => (save.error instanceof ApiError ? save.error.field(name) : undefined);

  async function submit(from: CaseDetail) {
    setStatus("");
    try {
      const saved = await save.mutateAsync(saveBody(from, draft));
      setBase(saved);
      setDraft(draftOf(saved));
      setConflict(null);
      setStatus("Saved.");
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.field("updated_at")) {
        const theirs = await fetchLatest();
        setConflict({
          theirs,
          differences: differences(from, theirs, draft, { options: options.data, folders: folders.data }),
        });
      }
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void submit(base);
  }

  const otherError = save.isError && !conflict && !fieldError("name") ? save.error : null;
  return (
    <>
      <UnsavedChangesGuard when={dirty} what="your changes to this case" />
      <PageHeader
        title={`${formatCaseKey(loaded.key)} ${base.name}`}
        actions={
          <Link
            to="/projects/$projectId/repository"
            params={{ projectId }}
            search={{ folder: base.folder_id ?? undefined }}
          >
            Back to the repository
          </Link>
        }
      >
        <p className="muted">
          {base.updated_at ? (
            <>
              Last saved by {base.updated_by_name ?? "a deleted user"} <Time value={base.updated_at} />
            </>
          ) : (
            <>
              Created <Time value={base.created_at} />
            </>
          )}
          {canEdit ? "" : " · You can read this case; changing it needs the repository permission."}
        </p>
      </PageHeader>
      {conflict ? (
        <ConflictNotice
          theirs={conflict.theirs}
          differences={conflict.differences}
          busy={save.isPending}
          onKeepMine={() => {
            setBase(conflict.theirs);
            void submit(conflict.theirs);
          }}
          onTakeTheirs={() => {
            setBase(conflict.theirs);
            setDraft(draftOf(conflict.theirs));
            setConflict(null);
            save.reset();
          }}
        />
      ) : null}
      <div className="case-page">
        <form className="form case-page__form" onSubmit={onSubmit} aria-label="Case">
          <fieldset className="case-page__fieldset" disabled={!canEdit}>
            <legend className="sr-only">Case details</legend>
            <TextField
              label="Name"
              value={draft.name}
              required
              maxLength={255}
              error={fieldError("name")}
              onChange={(event) => change({ name: event.target.value })}
            />
            <CaseChoices
              draft={draft}
              options={options.data}
              folders={folders.data}
              error={fieldError}
              onChange={change}
            />
            <TextField
              label="Tags"
              hint="Comma-separated, e.g. smoke, checkout"
              value={draft.tags}
              error={fieldError("tags")}
              onChange={(event) => change({ tags: event.target.value })}
            />
          </fieldset>
          <StepsEditor steps={draft.steps} canEdit={canEdit} onChange={(steps) => change({ steps })} />
          <IssuesEditor
            issues={draft.issues}
            canEdit={canEdit}
            error={fieldError}
            onChange={(issues) => change({ issues })}
          />
          <CustomFieldsEditor
            fields={draft.fields}
            other={base.custom_fields}
            canEdit={canEdit}
            error={fieldError}
            onChange={(fields) => change({ fields })}
          />
          {canEdit ? (
            <div className="case-page__save">
              <Button type="submit" variant="primary" busy={save.isPending}>
                Save case
              </Button>
              <span role="status">{status}</span>
            </div>
          ) : null}
          {otherError ? (
            <p className="form__error" role="alert">
              {saveErrorText(otherError)}
            </p>
          ) : null}
        </form>
        <div className="case-page__side">
          <Attachments caseId={loaded.id} attachments={live.attachments} canEdit={canEdit} />
          <CaseSidePanels detail={live} />
        </div>
      </div>
    </>
  );
}

/** A save error in words; a 403 also names the permission that is missing. */
function saveErrorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 403) {
    return `${error.message} (Saving a case needs the “repository” permission.) Your changes are still here.`;
  }
  return `${errorMessage(error)} Your changes are still here.`;
}

function CaseChoices({
  draft,
  options,
  folders,
  error,
  onChange,
}: {
  draft: CaseDraft;
  options: RepositoryOptions | undefined;
  folders: RepositoryFolder[] | undefined;
  error: (name: string) => string | undefined;
  onChange: (patch: Partial<CaseDraft>) => void;
}) {
  return (
    <div className="form__row">
      <SelectField
        label="Folder"
        value={draft.folder_id ?? ""}
        aria-describedby={error("folder_id") ? "case-folder-error" : undefined}
        onChange={(event) => onChange({ folder_id: event.target.value === "" ? null : Number(event.target.value) })}
      >
        <option value="">Top level</option>
        {moveDestinations(folders ?? [], null).map((d) => (
          <option key={d.id} value={d.id}>
            {d.path}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Template"
        value={draft.template_id}
        onChange={(event) => onChange({ template_id: Number(event.target.value) })}
      >
        {(options?.templates ?? [{ id: draft.template_id, name: `Template ${draft.template_id}` }]).map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="State"
        value={draft.state_id}
        onChange={(event) => onChange({ state_id: Number(event.target.value) })}
      >
        {(options?.states ?? [{ id: draft.state_id, name: `State ${draft.state_id}` }]).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      {["folder_id", "template_id", "state_id"].map((name) =>
        error(name) ? (
          <p key={name} id={name === "folder_id" ? "case-folder-error" : undefined} className="field__error">
            {error(name)}
          </p>
        ) : null,
      )}
    </div>
  );
}
