import { useMemo, useState } from "react";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { type DataColumn, DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { errorMessage } from "../../ui/ErrorState";
import { InlineRename } from "../../ui/InlineRename";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { AddTrackerForm } from "./AddTrackerForm";
import { useDeleteTracker, useIssueTrackers, useUpdateTracker } from "./hooks";
import { describeConnections, groupTrackers, type Tracker, TYPE_LABELS } from "./trackers";

const col = dataColumns<Tracker>();
const getRowId = (tracker: Tracker) => String(tracker.id);

/** Administration › Issue trackers: add trackers, rename, (de)activate or delete them. */
export function AdminIssueTrackersPage() {
  const connections = useIssueTrackers();
  const [deleting, setDeleting] = useState<Tracker | null>(null);
  const columns = useMemo(() => trackerColumns(setDeleting), []);
  return (
    <>
      <PageHeader title="Issue trackers">
        <p>
          Testers link issues to cases, results and sessions in these trackers. A deactivated tracker keeps the issues
          already linked but cannot be chosen for new links.
        </p>
      </PageHeader>
      <AddTrackerForm />
      <h2 className="section-title">All issue trackers</h2>
      <QueryState query={connections} loadingLabel="Loading issue trackers…">
        {(rows) => (
          <DataTable
            caption="Issue trackers"
            captionHidden
            columns={columns}
            data={groupTrackers(rows)}
            getRowId={getRowId}
            initialSorting={[{ id: "name", desc: false }]}
            empty={
              <EmptyState title="No issue tracker yet">
                <p>Add one above so testers can link issues.</p>
              </EmptyState>
            }
          />
        )}
      </QueryState>
      <DeleteTrackerDialog tracker={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function trackerColumns(onDelete: (tracker: Tracker) => void): DataColumn<Tracker>[] {
  return col.columns([
    col.accessor("name", {
      header: "Name",
      sortFn: "text",
      cell: ({ row }) => <TrackerNameCell tracker={row.original} />,
    }),
    col.accessor((tracker) => TYPE_LABELS[tracker.type] ?? String(tracker.type), { id: "type", header: "Type" }),
    col.accessor(describeConnections, { id: "projects", header: "Projects" }),
    col.display({
      id: "status",
      header: "Status",
      cell: ({ row }) => <ActiveToggle tracker={row.original} />,
    }),
    col.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { align: "end" },
      cell: ({ row }) => (
        <Button variant="ghost" onClick={() => onDelete(row.original)} aria-label={`Delete ${row.original.name}`}>
          Delete
        </Button>
      ),
    }),
  ]);
}

/** Active or not, with the button that flips it; a refusal is said beside it. */
function ActiveToggle({ tracker }: { tracker: Tracker }) {
  const update = useUpdateTracker();
  const action = tracker.isActive ? "Deactivate" : "Activate";
  return (
    <div className="admin-cell-control">
      <span className="admin-actions admin-actions--start">
        {tracker.isActive ? "Active" : "Inactive"}
        <Button
          variant="ghost"
          busy={update.isPending}
          aria-label={`${action} ${tracker.name}`}
          onClick={() => update.mutate({ id: tracker.id, changes: { is_active: !tracker.isActive } })}
        >
          {action}
        </Button>
      </span>
      {update.isError ? (
        <span className="form__error" role="alert">
          {errorMessage(update.error)}
        </span>
      ) : null}
    </div>
  );
}

/** Deleting works only while no issue is linked; the server's 422 then says to deactivate instead. */
function DeleteTrackerDialog({ tracker, onClose }: { tracker: Tracker | null; onClose: () => void }) {
  const remove = useDeleteTracker();
  return (
    <ConfirmDialog
      open={tracker !== null}
      title={`Delete the issue tracker “${tracker?.name ?? ""}”?`}
      confirmLabel="Delete tracker"
      danger
      busy={remove.isPending}
      onCancel={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() => {
        if (tracker) remove.mutate(tracker.id, { onSuccess: onClose });
      }}
    >
      <p>Only a tracker without linked issues can be deleted. One in use can be deactivated instead.</p>
      {remove.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(remove.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}

function TrackerNameCell({ tracker }: { tracker: Tracker }) {
  const update = useUpdateTracker();
  return (
    <InlineRename name={tracker.name} mutation={update} variables={(name) => ({ id: tracker.id, changes: { name } })} />
  );
}
