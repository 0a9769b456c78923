import "./api-tokens.css";
import type { ApiToken, CreatedApiToken } from "@assay/api";
import { type FormEvent, useMemo, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { useProjects } from "../../api/projects";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CopyButton } from "../../ui/CopyButton";
import { type DataColumn, DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { Time } from "../../ui/Time";
import { ciCommand, useCreateToken, useRevokeToken, useTokens } from "./hooks";

const col = dataColumns<ApiToken>();
const getRowId = (token: ApiToken) => String(token.id);

/** The signed-in user's API tokens: create one (shown once, with the CI command), see them, revoke one. */
export function ApiTokensPage() {
  const tokens = useTokens();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const columns = useMemo(() => tokenColumns(setRevoking), []);
  return (
    <>
      <PageHeader title="API tokens">
        <p>
          Tokens let scripts and CI jobs use the API and the <code>assay</code> CLI as you, with your access. Give each
          place its own token, so you can revoke one without touching the others.
        </p>
      </PageHeader>
      <CreateToken onCreated={setCreated} />
      {created ? <NewToken token={created} onDone={() => setCreated(null)} /> : null}
      <h2 className="section-title">Your tokens</h2>
      <QueryState query={tokens} loadingLabel="Loading tokens…">
        {(data) => (
          <DataTable
            caption="Your API tokens"
            captionHidden
            columns={columns}
            data={data}
            getRowId={getRowId}
            initialSorting={[{ id: "created_at", desc: true }]}
            empty={
              <EmptyState title="No tokens yet">
                <p>Create one above for your first CI job.</p>
              </EmptyState>
            }
          />
        )}
      </QueryState>
      <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function tokenColumns(onRevoke: (token: ApiToken) => void): DataColumn<ApiToken>[] {
  return col.columns([
    col.accessor("name", { header: "Name", sortFn: "text" }),
    col.accessor("created_at", {
      header: "Created",
      sortFn: "datetime",
      cell: ({ getValue }) => <Time value={getValue()} />,
    }),
    col.accessor("last_used_at", {
      header: "Last used",
      sortFn: "datetime",
      sortUndefined: "last",
      cell: ({ getValue }) => <Time value={getValue()} fallback="Never" />,
    }),
    col.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { align: "end" },
      cell: ({ row }) => (
        <Button variant="ghost" onClick={() => onRevoke(row.original)} aria-label={`Revoke ${row.original.name}`}>
          Revoke
        </Button>
      ),
    }),
  ]);
}

function CreateToken({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const create = useCreateToken();
  const [name, setName] = useState("");
  const fieldError = create.error instanceof ApiError ? create.error.field("name") : undefined;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim()) return;
    const token = await create.mutateAsync(name.trim()).catch(() => null);
    if (token) {
      onCreated(token);
      setName("");
    }
  }

  return (
    <form className="form form--inline card" onSubmit={onSubmit} aria-labelledby="create-token-title">
      <h2 id="create-token-title" className="section-title">
        Create a token
      </h2>
      <div className="form__row">
        <TextField
          label="Name"
          hint="Where the token is used, e.g. “GitHub Actions: backend”."
          required
          maxLength={255}
          value={name}
          error={fieldError}
          onChange={(event) => setName(event.target.value)}
        />
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create token
        </Button>
      </div>
      {create.isError && !fieldError ? (
        <p className="form__error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
    </form>
  );
}

function NewToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const projects = useProjects();
  const firstProject = projects.data?.length ? Math.min(...projects.data.map((project) => project.id)) : null;
  const command = ciCommand({ token: token.token, origin: window.location.origin, projectId: firstProject });
  const tokenField = useRef<HTMLInputElement>(null);
  const commandBlock = useRef<HTMLPreElement>(null);
  return (
    <section className="card new-token" aria-labelledby="new-token-title">
      <h2 id="new-token-title" className="section-title">
        Token “{token.name}” created
      </h2>
      <p role="status">
        <strong>Copy it now: it is shown only this once.</strong> Assay keeps only a digest of it.
      </p>
      <div className="new-token__row">
        <label htmlFor="new-token-value" className="sr-only">
          New token
        </label>
        <input
          ref={tokenField}
          id="new-token-value"
          className="field__input code new-token__value"
          readOnly
          value={token.token}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={token.token} label="Copy token" selectTarget={() => tokenField.current} />
      </div>
      <p id="ci-command-label">In a CI job, upload test results with it like this:</p>
      <pre ref={commandBlock} className="code new-token__command">
        {command}
      </pre>
      <div className="new-token__row">
        <CopyButton text={command} label="Copy command" selectTarget={() => commandBlock.current} />
        <Button onClick={onDone}>Done</Button>
      </div>
    </section>
  );
}

function RevokeDialog({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const revoke = useRevokeToken();
  return (
    <ConfirmDialog
      open={token !== null}
      title={`Revoke the token “${token?.name ?? ""}”?`}
      confirmLabel="Revoke token"
      danger
      busy={revoke.isPending}
      onCancel={() => {
        revoke.reset();
        onClose();
      }}
      onConfirm={() => {
        if (!token) return;
        revoke.mutate(token.id, { onSuccess: onClose });
      }}
    >
      <p>Requests that use it are refused from now on. This cannot be undone.</p>
      {revoke.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(revoke.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
