import { getRouteApi } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { SelectField } from "../../ui/SelectField";
import { ROLE_KEYS, ROLE_LABELS, useAdminGroups, useAdminUsers } from "../admin/hooks";
import { ProjectPicker } from "../admin/ProjectPicker";
import { type AccessChoice, type AccessTarget, roleToChoice, useProjectAccess, useSetAccess } from "./hooks";

const routeApi = getRouteApi("/_app/admin/access");

/** The choices of an override select; "global" only where removing the override is meant. */
function ChoiceOptions({ withGlobal }: { withGlobal: string | null }) {
  return (
    <>
      {withGlobal ? <option value="global">{withGlobal}</option> : null}
      {ROLE_KEYS.map((key) => (
        <option key={key} value={key}>
          {ROLE_LABELS[key]}
        </option>
      ))}
      <option value="none">No access</option>
    </>
  );
}

function isChoice(value: string): value is AccessChoice {
  return value === "none" || value === "global" || (ROLE_KEYS as readonly string[]).includes(value);
}

/** Administration › Access: per project (`?project=`), who gets which role, or no access. */
export function AdminAccessPage() {
  const { project: projectId } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  return (
    <>
      <PageHeader title="Project access">
        <p>
          Everyone has their global role in every project unless the project says otherwise: a role or no access for one
          user, for a group, or for everyone (the project default). A user's own override wins over their groups', and a
          group's over the default.
        </p>
      </PageHeader>
      <ProjectPicker projectId={projectId} onChange={(project) => void navigate({ search: { project } })}>
        {(project) => <ProjectAccessEditor key={project.id} projectId={project.id} projectName={project.name} />}
      </ProjectPicker>
    </>
  );
}

function ProjectAccessEditor({ projectId, projectName }: { projectId: number; projectName: string }) {
  const access = useProjectAccess(projectId);
  return (
    <QueryState query={access} loadingLabel="Loading access…">
      {(data) => (
        <>
          <section className="card admin-section" aria-labelledby="default-access-title">
            <h2 id="default-access-title" className="section-title">
              Everyone else in {projectName}
            </h2>
            <OverrideSelect
              projectId={projectId}
              target={{ default: true }}
              label="Project default"
              value={data.default ? roleToChoice(data.default.role) : "global"}
              globalLabel="Their global role"
            />
          </section>
          <section className="admin-section" aria-labelledby="user-access-title">
            <h2 id="user-access-title" className="section-title">
              Users with their own access
            </h2>
            {data.users.length === 0 ? <p className="admin-muted">None.</p> : null}
            <ul className="admin-list" aria-labelledby="user-access-title">
              {data.users.map((entry) => (
                <OverrideItem
                  key={entry.user_id}
                  projectId={projectId}
                  name={entry.name}
                  target={{ user_id: entry.user_id }}
                  value={roleToChoice(entry.role)}
                />
              ))}
            </ul>
          </section>
          <section className="admin-section" aria-labelledby="group-access-title">
            <h2 id="group-access-title" className="section-title">
              Groups with access
            </h2>
            {data.groups.length === 0 ? <p className="admin-muted">None.</p> : null}
            <ul className="admin-list" aria-labelledby="group-access-title">
              {data.groups.map((entry) => (
                <OverrideItem
                  key={entry.group_id}
                  projectId={projectId}
                  name={entry.name}
                  target={{ group_id: entry.group_id }}
                  value={roleToChoice(entry.role)}
                />
              ))}
            </ul>
          </section>
          <AddOverrideForm projectId={projectId} />
        </>
      )}
    </QueryState>
  );
}

function OverrideItem(props: { projectId: number; name: string; target: AccessTarget; value: AccessChoice }) {
  const set = useSetAccess(props.projectId);
  return (
    <li className="admin-list__item">
      <span>{props.name}</span>
      <span className="admin-actions admin-actions--start">
        <OverrideSelect {...props} label={`Access of ${props.name}`} globalLabel={null} hiddenLabel />
        <Button
          variant="ghost"
          busy={set.isPending}
          aria-label={`Remove override of ${props.name}`}
          onClick={() => set.mutate({ target: props.target, choice: "global" })}
        >
          Remove override
        </Button>
      </span>
      {set.isError ? (
        <p className="field__error" role="alert">
          {errorMessage(set.error)}
        </p>
      ) : null}
    </li>
  );
}

/** A select that saves on change; a refused change is said under it. */
function OverrideSelect({
  projectId,
  target,
  label,
  value,
  globalLabel,
  hiddenLabel = false,
}: {
  projectId: number;
  target: AccessTarget;
  label: string;
  value: AccessChoice;
  globalLabel: string | null;
  hiddenLabel?: boolean;
}) {
  const set = useSetAccess(projectId);
  const id = `access-${JSON.stringify(target).replace(/\W/g, "")}`;
  return (
    <div className="admin-cell-control">
      <label htmlFor={id} className={hiddenLabel ? "sr-only" : "field__label"}>
        {label}
      </label>
      <select
        id={id}
        className="field__input"
        value={value}
        disabled={set.isPending}
        onChange={(event) => {
          const choice = event.target.value;
          if (isChoice(choice)) set.mutate({ target, choice });
        }}
      >
        <ChoiceOptions withGlobal={globalLabel} />
      </select>
      {set.isError ? (
        <p className="field__error" role="alert">
          {errorMessage(set.error)}
        </p>
      ) : null}
    </div>
  );
}

/** Gives one user or group a role (or no access) in the project. */
function AddOverrideForm({ projectId }: { projectId: number }) {
  const users = useAdminUsers();
  const groups = useAdminGroups();
  const set = useSetAccess(projectId);
  const [who, setWho] = useState("");
  const [choice, setChoice] = useState<AccessChoice>("tester");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const [kind, id] = who.split(":");
    if (!id) return;
    const target: AccessTarget = kind === "group" ? { group_id: Number(id) } : { user_id: Number(id) };
    const done = await set.mutateAsync({ target, choice }).then(
      () => true,
      () => false,
    );
    if (done) setWho("");
  }

  return (
    <form className="form card admin-section" onSubmit={onSubmit} aria-labelledby="add-access-title">
      <h2 id="add-access-title" className="section-title">
        Give a user or group access
      </h2>
      <div className="form__row">
        <SelectField label="User or group" value={who} onChange={(event) => setWho(event.target.value)}>
          <option value="">Choose…</option>
          <optgroup label="Groups">
            {(groups.data ?? []).map((group) => (
              <option key={group.id} value={`group:${group.id}`}>
                {group.name}
              </option>
            ))}
          </optgroup>
          <optgroup label="Users">
            {(users.data ?? [])
              .filter((user) => user.is_active)
              .map((user) => (
                <option key={user.id} value={`user:${user.id}`}>
                  {user.name} ({user.email})
                </option>
              ))}
          </optgroup>
        </SelectField>
        <SelectField
          label="Access"
          value={choice}
          onChange={(event) => isChoice(event.target.value) && setChoice(event.target.value)}
        >
          <ChoiceOptions withGlobal={null} />
        </SelectField>
        <Button type="submit" variant="primary" busy={set.isPending} disabled={!who}>
          Save access
        </Button>
      </div>
      {set.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(set.error)}
        </p>
      ) : null}
    </form>
  );
}
