import type { Group, User } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useMemo, useState } from "react";
import { ApiError } from "../../api/client";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { type DataColumn, DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { InlineRename } from "../../ui/InlineRename";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { SelectField } from "../../ui/SelectField";
import { useAdminGroups, useAdminUsers } from "../admin/hooks";
import { useAddMember, useCreateGroup, useDeleteGroup, useRemoveMember, useRenameGroup } from "./hooks";

const routeApi = getRouteApi("/_app/admin/groups");
const col = dataColumns<Group>();
const getRowId = (group: Group) => String(group.id);

/** Administration › Groups: create, rename and delete groups; the selected group's members (`?group=`). */
export function AdminGroupsPage() {
  const groups = useAdminGroups();
  const { group: selectedId } = routeApi.useSearch();
  const [deleting, setDeleting] = useState<Group | null>(null);
  const columns = useMemo(() => groupColumns(setDeleting), []);
  const selected = groups.data?.find((group) => group.id === selectedId);
  return (
    <>
      <PageHeader title="Groups">
        <p>Groups give several people the same access to a project at once (see Access).</p>
      </PageHeader>
      <CreateGroupForm />
      <h2 className="section-title">All groups</h2>
      <QueryState query={groups} loadingLabel="Loading groups…">
        {(data) => (
          <DataTable
            caption="Groups"
            captionHidden
            columns={columns}
            data={data}
            getRowId={getRowId}
            initialSorting={[{ id: "name", desc: false }]}
            rowClassName={(group) => (group.id === selectedId ? "admin-row--selected" : undefined)}
            empty={
              <EmptyState title="No groups yet">
                <p>Create one above.</p>
              </EmptyState>
            }
          />
        )}
      </QueryState>
      {selected ? <GroupMembers key={selected.id} group={selected} /> : null}
      {selectedId !== undefined && groups.data && !selected ? (
        <p className="form__error admin-section" role="alert">
          Group {selectedId} does not exist (any more). Choose a group above.
        </p>
      ) : null}
      <DeleteGroupDialog group={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function groupColumns(onDelete: (group: Group) => void): DataColumn<Group>[] {
  return col.columns([
    col.accessor("name", {
      header: "Name",
      sortFn: "text",
      cell: ({ row }) => <GroupNameCell group={row.original} />,
    }),
    col.accessor((group) => group.members.length, { id: "members", header: "Members", meta: { align: "end" } }),
    col.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { align: "end" },
      cell: ({ row }) => (
        <div className="admin-actions">
          <Link to="/admin/groups" search={{ group: row.original.id }} className="button button--ghost">
            Members<span className="sr-only"> of {row.original.name}</span>
          </Link>
          <Button variant="ghost" onClick={() => onDelete(row.original)} aria-label={`Delete ${row.original.name}`}>
            Delete
          </Button>
        </div>
      ),
    }),
  ]);
}

function CreateGroupForm() {
  const create = useCreateGroup();
  const navigate = routeApi.useNavigate();
  const [name, setName] = useState("");
  const error = create.error instanceof ApiError ? (create.error.field("name") ?? create.error.message) : undefined;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const created = await create.mutateAsync(name.trim()).catch(() => null);
    if (created) {
      setName("");
      await navigate({ search: { group: created.id } });
    }
  }

  return (
    <form className="form form--inline card" onSubmit={onSubmit} aria-labelledby="create-group-title">
      <h2 id="create-group-title" className="section-title">
        Create a group
      </h2>
      <div className="form__row">
        <TextField
          label="Group name"
          required
          maxLength={255}
          value={name}
          error={error ?? (create.isError ? errorMessage(create.error) : undefined)}
          onChange={(event) => setName(event.target.value)}
        />
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create group
        </Button>
      </div>
    </form>
  );
}

/** The members of one group: remove any, add someone who is not in it yet. */
function GroupMembers({ group }: { group: Group }) {
  const users = useAdminUsers();
  const add = useAddMember();
  const remove = useRemoveMember();
  const [userId, setUserId] = useState("");
  const members = (users.data ?? []).filter((user) => group.members.includes(user.id));
  const others = (users.data ?? []).filter((user) => !group.members.includes(user.id));
  const addError = add.error instanceof ApiError ? (add.error.field("user_ids") ?? add.error.message) : undefined;

  async function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!userId) return;
    const done = await add.mutateAsync({ groupId: group.id, userId: Number(userId) }).catch(() => null);
    if (done !== null) setUserId("");
  }

  return (
    <section className="card admin-section" aria-labelledby="members-title">
      <h2 id="members-title" className="section-title">
        Members of {group.name}
      </h2>
      {members.length === 0 ? <p>Nobody is in this group yet.</p> : null}
      <ul className="admin-list" aria-label={`Members of ${group.name}`}>
        {members.map((user) => (
          <MemberItem
            key={user.id}
            user={user}
            onRemove={() => remove.mutate({ groupId: group.id, userId: user.id })}
          />
        ))}
      </ul>
      {remove.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(remove.error)}
        </p>
      ) : null}
      <form className="form__row" onSubmit={onAdd} aria-label={`Add a member to ${group.name}`}>
        <SelectField label="Add a member" value={userId} onChange={(event) => setUserId(event.target.value)}>
          <option value="">Choose a user…</option>
          {others.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name} ({user.email})
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="primary" busy={add.isPending} disabled={!userId}>
          Add to group
        </Button>
      </form>
      {add.isError ? (
        <p className="form__error" role="alert">
          {addError ?? errorMessage(add.error)}
        </p>
      ) : null}
    </section>
  );
}

function MemberItem({ user, onRemove }: { user: User; onRemove: () => void }) {
  return (
    <li className="admin-list__item">
      <span>
        {user.name} <span className="admin-muted">{user.email}</span>
      </span>
      <Button variant="ghost" onClick={onRemove} aria-label={`Remove ${user.name}`}>
        Remove
      </Button>
    </li>
  );
}

function DeleteGroupDialog({ group, onClose }: { group: Group | null; onClose: () => void }) {
  const remove = useDeleteGroup();
  return (
    <ConfirmDialog
      open={group !== null}
      title={`Delete the group “${group?.name ?? ""}”?`}
      confirmLabel="Delete group"
      danger
      busy={remove.isPending}
      onCancel={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() => {
        if (group) remove.mutate(group.id, { onSuccess: onClose });
      }}
    >
      <p>Its members lose the project access they had through it. The users themselves stay.</p>
      {remove.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(remove.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}

function GroupNameCell({ group }: { group: Group }) {
  const rename = useRenameGroup();
  return <InlineRename name={group.name} mutation={rename} variables={(name) => ({ id: group.id, name })} />;
}
