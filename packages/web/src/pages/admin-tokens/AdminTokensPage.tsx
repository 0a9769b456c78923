import type { UserApiToken } from "@assay/api";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { type DataColumn, DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { errorMessage } from "../../ui/ErrorState";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { SelectField } from "../../ui/SelectField";
import { Time } from "../../ui/Time";
import { useAllTokens, useRevokeAnyToken } from "./hooks";

const routeApi = getRouteApi("/_app/admin/tokens");
const col = dataColumns<UserApiToken>();
const getRowId = (token: UserApiToken) => String(token.id);

/** Administration › Tokens: every user's API tokens (`?user=` for one user's), and revoking any of them. */
export function AdminTokensPage() {
  const tokens = useAllTokens();
  const { user } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const [revoking, setRevoking] = useState<UserApiToken | null>(null);
  const columns = useMemo(() => tokenColumns(setRevoking), []);
  return (
    <>
      <PageHeader title="API tokens of all users">
        <p>
          Revoke a token that leaked or belongs to someone who left: requests with it are refused from then on. The
          tokens themselves are never shown again after their creation.
        </p>
      </PageHeader>
      <QueryState query={tokens} loadingLabel="Loading tokens…">
        {(data) => {
          const owners = [...new Map(data.map((t) => [t.user_id, t.user_name])).entries()].sort((a, b) =>
            a[1].localeCompare(b[1]),
          );
          return (
            <>
              <div className="form__row admin-filter">
                <SelectField
                  label="Owner"
                  value={user ?? ""}
                  onChange={(event) =>
                    void navigate({ search: { user: event.target.value ? Number(event.target.value) : undefined } })
                  }
                >
                  <option value="">Everyone</option>
                  {owners.map(([id, name]) => (
                    <option key={id} value={id}>
                      {name}
                    </option>
                  ))}
                </SelectField>
              </div>
              <DataTable
                caption="API tokens"
                captionHidden
                columns={columns}
                data={user === undefined ? data : data.filter((t) => t.user_id === user)}
                getRowId={getRowId}
                initialSorting={[{ id: "created_at", desc: true }]}
                empty={<EmptyState title="No active tokens" />}
              />
            </>
          );
        }}
      </QueryState>
      <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function tokenColumns(onRevoke: (token: UserApiToken) => void): DataColumn<UserApiToken>[] {
  return col.columns([
    col.accessor("user_name", { header: "Owner", sortFn: "text" }),
    col.accessor("name", { header: "Token", sortFn: "text" }),
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
        <Button
          variant="ghost"
          onClick={() => onRevoke(row.original)}
          aria-label={`Revoke ${row.original.name} of ${row.original.user_name}`}
        >
          Revoke
        </Button>
      ),
    }),
  ]);
}

function RevokeDialog({ token, onClose }: { token: UserApiToken | null; onClose: () => void }) {
  const revoke = useRevokeAnyToken();
  return (
    <ConfirmDialog
      open={token !== null}
      title={`Revoke the token “${token?.name ?? ""}” of ${token?.user_name ?? ""}?`}
      confirmLabel="Revoke token"
      danger
      busy={revoke.isPending}
      onCancel={() => {
        revoke.reset();
        onClose();
      }}
      onConfirm={() => {
        if (token) revoke.mutate(token.id, { onSuccess: onClose });
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
