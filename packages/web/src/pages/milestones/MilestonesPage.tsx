import "./milestones.css";
import type { Milestone } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useMemo, useState } from "react";
import { useCan } from "../../api/permissions";
import { Button } from "../../ui/Button";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { PageHeader } from "../../ui/PageHeader";
import { Pager } from "../../ui/Pager";
import { QueryState } from "../../ui/QueryState";
import { SegmentedControl } from "../../ui/SegmentedControl";
import { WorkStateChip } from "../../ui/StatusChip";
import { type MilestoneState, type MilestoneStats, useMilestones } from "./hooks";
import { MilestoneDialog } from "./MilestoneDialog";

const routeApi = getRouteApi("/_app/projects/$projectId/milestones");

interface MilestoneRow {
  milestone: Milestone;
  stats: MilestoneStats | undefined;
}

const STATE_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "completed", label: "Completed" },
  { value: "all", label: "All" },
] as const;

/** "1 Dec 2026 – 24 Dec 2026", "Due 24 Dec 2026" or "—". */
export function datesLabel(milestone: Pick<Milestone, "start_date" | "due_date">): string {
  const { start_date: start, due_date: due } = milestone;
  if (start && due) return `${start} – ${due}`;
  if (due) return `Due ${due}`;
  if (start) return `From ${start}`;
  return "—";
}

const col = dataColumns<MilestoneRow>();

function milestoneColumns(onEdit: ((milestone: Milestone) => void) | null) {
  return col.columns([
    col.display({
      id: "name",
      header: "Milestone",
      enableSorting: false,
      cell: ({ row }) => (
        <Link to="/milestones/$milestoneId" params={{ milestoneId: row.original.milestone.id }}>
          {row.original.milestone.name}
        </Link>
      ),
    }),
    col.display({
      id: "dates",
      header: "Dates",
      enableSorting: false,
      cell: ({ row }) => datesLabel(row.original.milestone),
    }),
    col.display({
      id: "tags",
      header: "Automation tags",
      enableSorting: false,
      cell: ({ row }) => (
        <span className="milestones__tags">
          {row.original.milestone.automation_tags.map((tag) => (
            <span key={tag} className="milestones__tag">
              {tag}
            </span>
          ))}
        </span>
      ),
    }),
    col.display({
      id: "progress",
      header: "Progress",
      enableSorting: false,
      cell: ({ row }) => <CountsBar counts={countsOf(row.original.stats ?? {})} />,
    }),
    col.display({
      id: "state",
      header: "State",
      enableSorting: false,
      cell: ({ row }) => (
        <WorkStateChip
          kind="milestone"
          done={row.original.milestone.is_completed}
          started={row.original.milestone.is_started}
        />
      ),
    }),
    ...(onEdit
      ? [
          col.display({
            id: "actions",
            header: () => <span className="sr-only">Actions</span>,
            meta: { align: "end" },
            cell: ({ row }) => (
              <Button
                variant="ghost"
                onClick={() => onEdit(row.original.milestone)}
                aria-label={`Edit ${row.original.milestone.name}`}
              >
                Edit
              </Button>
            ),
          }),
        ]
      : []),
  ]);
}

/** A project's milestones with their progress; project managers create and edit them. */
export function MilestonesPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const state = search.state ?? "active";
  const page = search.page ?? 1;
  const navigate = routeApi.useNavigate();
  const milestones = useMilestones(projectId, state, page);
  const canManage = useCan(projectId, "manage_runs");
  const [editing, setEditing] = useState<Milestone | "new" | null>(null);
  const columns = useMemo(() => milestoneColumns(canManage ? setEditing : null), [canManage]);
  return (
    <>
      <PageHeader
        title="Milestones"
        actions={
          canManage ? (
            <Button variant="primary" onClick={() => setEditing("new")}>
              New milestone
            </Button>
          ) : null
        }
      >
        <p>
          Releases and sprints: their progress counts the manual runs and sessions linked to them and the automation
          runs submitted with their automation tags.
        </p>
      </PageHeader>
      <SegmentedControl
        legend="Show"
        options={STATE_OPTIONS}
        value={state}
        onChange={(state: MilestoneState) => void navigate({ search: { state } })}
      />
      <QueryState query={milestones} loadingLabel="Loading milestones…">
        {(envelope) => {
          const stats = envelope.expands?.milestone_stats ?? [];
          const rows = envelope.result.map((milestone) => ({
            milestone,
            stats: stats.find((s) => s.id === milestone.id),
          }));
          return (
            <>
              <DataTable
                caption="Milestones"
                captionHidden
                columns={columns}
                data={rows}
                getRowId={(row) => String(row.milestone.id)}
                empty={
                  <EmptyState title={state === "active" ? "No active milestones" : "No milestones"}>
                    <p>{canManage ? "Create one with “New milestone”." : "Project managers create milestones."}</p>
                  </EmptyState>
                }
              />
              <Pager
                envelope={envelope}
                noun="milestones"
                onPage={(next) => void navigate({ search: { ...search, page: next } })}
              />
            </>
          );
        }}
      </QueryState>
      {editing ? (
        <MilestoneDialog
          projectId={projectId}
          milestone={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}
