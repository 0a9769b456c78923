import { type FormEvent, type ReactNode, useState } from "react";
import { ApiError } from "../api/client";
import { Button } from "./Button";
import { errorMessage } from "./ErrorState";
import { TextField } from "./Field";

/** What InlineRename needs of a React Query mutation. */
export interface RenameMutation<V> {
  mutateAsync: (variables: V) => Promise<unknown>;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  reset: () => void;
}

/**
 * A name in a table row, or a rename form in its place (groups, projects, issue trackers): a refused
 * name keeps what was typed and shows why beside the field; Cancel puts the old name back.
 */
export function InlineRename<V>({
  name,
  display = name,
  mutation,
  variables,
}: {
  name: string;
  /** what shows while not editing (e.g. a link), the name by default */
  display?: ReactNode;
  mutation: RenameMutation<V>;
  /** the mutation's variables for the new name */
  variables: (newName: string) => V;
}) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  if (!editing) {
    return (
      <span className="admin-actions admin-actions--start">
        {display}
        <Button variant="ghost" onClick={() => setEditing(true)} aria-label={`Rename ${name}`}>
          Rename
        </Button>
      </span>
    );
  }
  const fieldError =
    mutation.error instanceof ApiError ? (mutation.error.field("name") ?? mutation.error.message) : undefined;
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const done = await mutation.mutateAsync(variables(value.trim())).then(
      () => true,
      () => false,
    );
    if (done) setEditing(false);
  }
  return (
    <form className="form__row" onSubmit={onSubmit} aria-label={`Rename ${name}`}>
      <TextField
        label="New name"
        required
        maxLength={255}
        value={value}
        error={fieldError ?? (mutation.isError ? errorMessage(mutation.error) : undefined)}
        onChange={(event) => setValue(event.target.value)}
      />
      <Button type="submit" variant="primary" busy={mutation.isPending}>
        Save
      </Button>
      <Button
        onClick={() => {
          mutation.reset();
          setValue(name);
          setEditing(false);
        }}
      >
        Cancel
      </Button>
    </form>
  );
}
