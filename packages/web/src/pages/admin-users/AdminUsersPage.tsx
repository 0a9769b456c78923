import type { Invite, RoleKey, User } from "@assay/api";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { type FormEvent, useMemo, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { sessionQuery } from "../../api/session";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CopyButton } from "../../ui/CopyButton";
import { type DataColumn, DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { SelectField } from "../../ui/SelectField";
import { Time } from "../../ui/Time";
import { isRoleKey, ROLE_KEYS, ROLE_LABELS, roleKeyOfId, useAdminUsers } from "../admin/hooks";
import { useInvite, useUpdateUser } from "./hooks";

const routeApi = getRouteApi("/_app/admin/users");
const col = dataColumns<User>();
const getRowId = (user: User) => String(user.id);

/** Administration › Users: invite people, change their role, deactivate or reactivate them. */
export function AdminUsersPage() {
  const users = useAdminUsers();
  const { q } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const signedInUserId = useQuery(sessionQuery).data?.user.id;
  const columns = useMemo(() => userColumns(setDeactivating, signedInUserId), [signedInUserId]);
  return (
    <>
      <PageHeader title="Users">
        <p>Invite people with a one-time link, give them a role, and deactivate those who left.</p>
      </PageHeader>
      <InviteForm />
      <h2 className="section-title">All users</h2>
      <div className="form__row admin-filter">
        <TextField
          label="Find a user"
          type="search"
          placeholder="Name or e-mail"
          value={q ?? ""}
          onChange={(event) => void navigate({ search: { q: event.target.value || undefined }, replace: true })}
        />
      </div>
      <QueryState query={users} loadingLabel="Loading users…">
        {(data) => (
          <DataTable
            caption="Users"
            captionHidden
            columns={columns}
            data={filterUsers(data, q)}
            getRowId={getRowId}
            initialSorting={[{ id: "name", desc: false }]}
            empty={
              <EmptyState title="No user matches">
                {q ? <p>Nobody's name or e-mail contains “{q}”.</p> : null}
              </EmptyState>
            }
          />
        )}
      </QueryState>
      <DeactivateDialog user={deactivating} onClose={() => setDeactivating(null)} />
    </>
  );
}

function filterUsers(users: User[], q: string | undefined): User[] {
  if (!q) return users;
  const needle = q.toLowerCase();
  return users.filter((user) => user.name.toLowerCase().includes(needle) || user.email.toLowerCase().includes(needle));
}

function userColumns(onDeactivate: (user: User) => void, signedInUserId: number | undefined): DataColumn<User>[] {
  return col.columns([
    col.accessor("name", { header: "Name", sortFn: "text" }),
    col.accessor("email", { header: "E-mail", sortFn: "text" }),
    col.display({ id: "role", header: "Role", cell: ({ row }) => <RoleCell user={row.original} /> }),
    col.accessor("is_active", {
      header: "Status",
      cell: ({ getValue }) => (getValue() ? "Active" : <span className="admin-muted">Deactivated</span>),
    }),
    col.accessor("created_at", {
      header: "Added",
      sortFn: "datetime",
      cell: ({ getValue }) => <Time value={getValue()} />,
    }),
    col.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { align: "end" },
      cell: ({ row }) =>
        // Deactivating yourself would sign you out for good (the server refuses it too).
        row.original.id === signedInUserId ? (
          <span className="admin-muted">You</span>
        ) : row.original.is_active ? (
          <Button
            variant="ghost"
            onClick={() => onDeactivate(row.original)}
            aria-label={`Deactivate ${row.original.name}`}
          >
            Deactivate
          </Button>
        ) : (
          <ReactivateButton user={row.original} />
        ),
    }),
  ]);
}

/** The user's global role as a select; a refused change (e.g. the last administrator) is said under it. */
function RoleCell({ user }: { user: User }) {
  const update = useUpdateUser();
  const current = roleKeyOfId(user.role_id);
  const error = update.isError
    ? ((update.error instanceof ApiError ? update.error.field("role") : undefined) ?? errorMessage(update.error))
    : undefined;
  return (
    <div className="admin-cell-control">
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Role of {user.name}
      </label>
      <select
        id={`role-${user.id}`}
        className="field__input"
        value={current ?? ""}
        disabled={update.isPending}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `role-${user.id}-error` : undefined}
        onChange={(event) => {
          const role = event.target.value;
          if (isRoleKey(role)) update.mutate({ id: user.id, changes: { role } });
        }}
      >
        {ROLE_KEYS.map((key) => (
          <option key={key} value={key}>
            {ROLE_LABELS[key]}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`role-${user.id}-error`} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function ReactivateButton({ user }: { user: User }) {
  const update = useUpdateUser();
  return (
    <div className="admin-cell-control">
      <Button
        variant="ghost"
        busy={update.isPending}
        onClick={() => update.mutate({ id: user.id, changes: { is_active: true } })}
        aria-label={`Reactivate ${user.name}`}
      >
        Reactivate
      </Button>
      {update.isError ? (
        <p className="field__error" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
    </div>
  );
}

function DeactivateDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const update = useUpdateUser();
  return (
    <ConfirmDialog
      open={user !== null}
      title={`Deactivate ${user?.name ?? ""}?`}
      confirmLabel="Deactivate"
      danger
      busy={update.isPending}
      onCancel={() => {
        update.reset();
        onClose();
      }}
      onConfirm={() => {
        if (!user) return;
        update.mutate({ id: user.id, changes: { is_active: false } }, { onSuccess: onClose });
      }}
    >
      <p>
        They are signed out everywhere at once, and their API tokens stop working. Their results and history stay. You
        can reactivate them later.
      </p>
      {update.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}

function InviteForm() {
  const invite = useInvite();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<RoleKey>("tester");
  const [sent, setSent] = useState<(Invite & { email: string }) | null>(null);
  const fieldError = (field: string) => (invite.error instanceof ApiError ? invite.error.field(field) : undefined);
  const anyFieldError = fieldError("email") ?? fieldError("name") ?? fieldError("role");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await invite.mutateAsync({ email: email.trim(), name: name.trim(), role }).catch(() => null);
    if (result) {
      setSent({ ...result, email: email.trim() });
      setEmail("");
      setName("");
    }
  }

  return (
    <>
      <form className="form card" onSubmit={onSubmit} aria-labelledby="invite-title">
        <h2 id="invite-title" className="section-title">
          Invite a user
        </h2>
        <div className="form__row">
          <TextField
            label="E-mail"
            type="email"
            required
            maxLength={254}
            value={email}
            error={fieldError("email")}
            onChange={(event) => setEmail(event.target.value)}
          />
          <TextField
            label="Name"
            required
            maxLength={255}
            value={name}
            error={fieldError("name")}
            onChange={(event) => setName(event.target.value)}
          />
          <SelectField
            label="Role"
            value={role}
            onChange={(event) => isRoleKey(event.target.value) && setRole(event.target.value)}
          >
            {ROLE_KEYS.map((key) => (
              <option key={key} value={key}>
                {ROLE_LABELS[key]}
              </option>
            ))}
          </SelectField>
          <Button type="submit" variant="primary" busy={invite.isPending}>
            Create invite link
          </Button>
        </div>
        {invite.isError && !anyFieldError ? (
          <p className="form__error" role="alert">
            {errorMessage(invite.error)}
          </p>
        ) : null}
      </form>
      {sent ? <InviteLink invite={sent} onDone={() => setSent(null)} /> : null}
    </>
  );
}

function InviteLink({ invite, onDone }: { invite: Invite & { email: string }; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const what = invite.purpose === "invite" ? "Invite link" : "Password reset link";
  return (
    <section className="card admin-link admin-section" aria-labelledby="invite-link-title">
      <h2 id="invite-link-title" className="section-title">
        {what} for {invite.email}
      </h2>
      <p role="status">
        <strong>Send this link to them yourself: it is shown only this once.</strong> It works once, until{" "}
        <Time value={invite.expires_at} />, and lets them set a password and sign in.
      </p>
      <div className="admin-link__row">
        <label htmlFor="invite-link-value" className="sr-only">
          {what}
        </label>
        <input
          ref={field}
          id="invite-link-value"
          className="field__input code admin-link__value"
          readOnly
          value={invite.url}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={invite.url} label="Copy link" selectTarget={() => field.current} />
        <Button onClick={onDone}>Done</Button>
      </div>
    </section>
  );
}
