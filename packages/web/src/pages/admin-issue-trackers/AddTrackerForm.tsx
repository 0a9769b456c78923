import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { SelectField } from "../../ui/SelectField";
import { TextAreaField } from "../../ui/TextAreaField";
import { useCreateTracker } from "./hooks";
import { parseProjectNames, TRACKER_TYPES, TYPE_LABELS } from "./trackers";

const TYPE_ORDER = [TRACKER_TYPES.github, TRACKER_TYPES.gitlab, TRACKER_TYPES.jira, TRACKER_TYPES.custom];

const CONNECTION_WORDS: Record<number, { label: string; hint: string; projects: string }> = {
  [TRACKER_TYPES.github]: { label: "Organisation or user", hint: "e.g. acme", projects: "Repositories" },
  [TRACKER_TYPES.gitlab]: { label: "Group", hint: "e.g. acme/platform", projects: "Projects" },
  [TRACKER_TYPES.jira]: { label: "Jira site", hint: "e.g. acme.atlassian.net", projects: "Jira projects" },
};

/** The server's messages for the connection (and its projects) under the two fields they belong to. */
function connectionErrors(error: ApiError) {
  const entries = Object.entries(error.fieldErrors);
  const about = (test: (field: string) => boolean) =>
    entries
      .filter(([field]) => test(field))
      .flatMap(([, messages]) => messages)
      .join(" ") || undefined;
  return {
    connection: about((field) => field === "connections" || /^connections\.\d+(\.name)?$/.test(field)),
    projects: about((field) => /^connections\.\d+\.projects/.test(field)),
  };
}

/** Adds a tracker with one connection and its projects; a refused tracker keeps what was typed. */
export function AddTrackerForm() {
  const create = useCreateTracker();
  const [type, setType] = useState<number>(TRACKER_TYPES.github);
  const [name, setName] = useState("");
  const [connection, setConnection] = useState("");
  const [projects, setProjects] = useState("");
  const words = CONNECTION_WORDS[type];
  const apiError = create.error instanceof ApiError ? create.error : null;
  const fieldErrors = apiError ? connectionErrors(apiError) : { connection: undefined, projects: undefined };
  const nameError = apiError?.field("name");
  const shownElsewhere = nameError || fieldErrors.connection || fieldErrors.projects;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const projectNames = parseProjectNames(projects);
    const connections = words
      ? [{ name: connection.trim(), projects: projectNames.map((projectName) => ({ name: projectName })) }]
      : undefined;
    const created = await create.mutateAsync({ type, name: name.trim(), connections }).catch(() => null);
    if (created) {
      setName("");
      setConnection("");
      setProjects("");
    }
  }

  return (
    <form className="form card" onSubmit={onSubmit} aria-labelledby="add-tracker-title">
      <h2 id="add-tracker-title" className="section-title">
        Add an issue tracker
      </h2>
      <div className="form__row">
        <SelectField label="Type" value={type} onChange={(event) => setType(Number(event.target.value))}>
          {TYPE_ORDER.map((value) => (
            <option key={value} value={value}>
              {TYPE_LABELS[value]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Name"
          hint="How people pick it when they link an issue"
          required
          maxLength={255}
          value={name}
          error={nameError}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      {words ? (
        <div className="form__row">
          <TextField
            label={words.label}
            hint={words.hint}
            required
            maxLength={255}
            value={connection}
            error={fieldErrors.connection}
            onChange={(event) => setConnection(event.target.value)}
          />
          <TextAreaField
            label={words.projects}
            hint="One per line"
            required
            rows={3}
            value={projects}
            error={fieldErrors.projects}
            onChange={(event) => setProjects(event.target.value)}
          />
        </div>
      ) : (
        <p className="admin-muted">A custom tracker has no projects: issues are linked by their key alone.</p>
      )}
      {create.isError && !shownElsewhere ? (
        <p className="form__error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
      <div className="form__row">
        <Button type="submit" variant="primary" busy={create.isPending}>
          Add tracker
        </Button>
      </div>
    </form>
  );
}
