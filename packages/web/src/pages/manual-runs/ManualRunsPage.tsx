import "./manual-runs.css";
import type { Run } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { useProjectPermission } from "../../api/permissions";
import { buttonClass } from "../../ui/Button";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { Duration } from "../../ui/Duration";
import { EmptyState } from "../../ui/EmptyState";
import { PageHeader } from "../../ui/PageHeader";
import { Pager } from "../../ui/Pager";
import { QueryState } from "../../ui/QueryState";
import { SegmentedControl } from "../../ui/SegmentedControl";
import { WorkStateChip } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";
import { CreateRunForm } from "./CreateRunForm";
import { type ManualRunsPageData, useManualRuns } from "./hooks";
import { progressLabel, progressOf } from "./progress";
import type { ManualRunsSearch } from "./search";

const routeApi = getRouteApi("/_app/projects/$projectId/manual-runs");

interface RunRow {
  run: Run;
  milestone: string | null;
  config: string | null;
}

const col = dataColumns<RunRow>();
const columns = col.columns([
  col.display({
    id: "run",
    header: "Run",
    enableSorting: false,
    cell: ({ row }) => {
      const { run, milestone, config } = row.original;
      return (
        <div className="manual-runs__name">
          <Link to="/manual-runs/$runId" params={{ runId: run.id }}>
            {run.name}
          </Link>
          <div className="manual-runs__meta muted">
            <span>#{run.id}</span>
            {milestone ? <span>Milestone: {milestone}</span> : null}
            {config ? <span>{config}</span> : null}
          </div>
        </div>
      );
    },
  }),
  col.display({
    id: "state",
    header: "State",
    enableSorting: false,
    cell: ({ row }) => (
      <WorkStateChip kind="manual run" done={row.original.run.is_closed} started={row.original.run.is_started} />
    ),
  }),
  col.display({
    id: "progress",
    header: "Progress",
    enableSorting: false,
    cell: ({ row }) => {
      const progress = progressOf(row.original.run);
      return (
        <div className="manual-runs__progress">
          <CountsBar counts={countsOf(row.original.run)} />
          <span className="muted">{progressLabel(progress)}</span>
        </div>
      );
    },
  }),
  col.display({
    id: "remaining",
    header: "Forecast",
    enableSorting: false,
    meta: { align: "end" },
    cell: ({ row }) => {
      const { remaining } = progressOf(row.original.run);
      return remaining === null ? <span className="muted">No estimates</span> : <Duration micros={remaining} />;
    },
  }),
  col.display({
    id: "created",
    header: "Created",
    enableSorting: false,
    cell: ({ row }) => <Time value={row.original.run.created_at} />,
  }),
]);

const getRowId = (row: RunRow) => String(row.run.id);

const STATES = [
  { value: "open", label: "Open" },
  { value: "closed", label: "Closed" },
  { value: "all", label: "All" },
] as const;

/** A project's manual runs with their progress; project managers create new ones here. */
export function ManualRunsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const runs = useManualRuns(projectId, search);
  const canManage = useProjectPermission(projectId, "manage_runs");
  const update = (changes: Partial<ManualRunsSearch>) =>
    void navigate({
      search: (previous: ManualRunsSearch) => {
        const next: ManualRunsSearch = { ...previous, ...changes };
        for (const key of Object.keys(next) as (keyof ManualRunsSearch)[]) {
          if (next[key] === undefined) delete next[key];
        }
        return next;
      },
    });

  return (
    <>
      <PageHeader
        title="Manual runs"
        actions={
          canManage && !search.create ? (
            <Link
              className={buttonClass("primary")}
              from="/projects/$projectId/manual-runs"
              search={(previous: ManualRunsSearch) => ({ ...previous, create: 1 as const })}
            >
              New manual run
            </Link>
          ) : null
        }
      >
        <p className="muted">Testers work through repository cases by hand and record a result for each.</p>
      </PageHeader>
      {search.create && canManage ? (
        <CreateRunForm
          projectId={projectId}
          onClose={() => update({ create: undefined })}
          onCreated={(run) => void navigate({ to: "/manual-runs/$runId", params: { runId: run.id } })}
        />
      ) : null}
      <div className="manual-runs__filters">
        <SegmentedControl
          legend="Show"
          options={STATES}
          value={search.state ?? "open"}
          onChange={(state) => update({ state: state === "open" ? undefined : state, page: undefined })}
        />
      </div>
      <QueryState query={runs} loadingLabel="Loading manual runs…">
        {(data) => <RunsTable data={data} state={search.state} onPage={(page) => update({ page })} />}
      </QueryState>
    </>
  );
}

function RunsTable({
  data,
  state,
  onPage,
}: {
  data: ManualRunsPageData;
  state: ManualRunsSearch["state"];
  onPage: (page: number) => void;
}) {
  const rows = useMemo(
    () =>
      data.envelope.result.map((run) => ({
        run,
        milestone: run.milestone_id ? (data.milestones.get(run.milestone_id) ?? null) : null,
        config: run.config_id ? (data.configs.get(run.config_id) ?? null) : null,
      })),
    [data],
  );
  return (
    <>
      <DataTable
        caption="Manual runs"
        captionHidden
        columns={columns}
        data={rows}
        getRowId={getRowId}
        empty={<NoRuns state={state} />}
      />
      <Pager envelope={data.envelope} noun="runs" onPage={onPage} label="Manual run pages" />
    </>
  );
}

/** What an empty list means under the current filter, and a way to the runs it hides. */
function NoRuns({ state }: { state: ManualRunsSearch["state"] }) {
  const showState = (next: ManualRunsSearch["state"], label: string) => (
    <Link
      from="/projects/$projectId/manual-runs"
      search={(previous: ManualRunsSearch) => ({ ...previous, state: next, page: undefined })}
    >
      {label}
    </Link>
  );
  if (state === "all") {
    return (
      <EmptyState title="No manual runs yet">
        <p>A project manager creates a run from repository folders, cases or a filter, and assigns testers.</p>
      </EmptyState>
    );
  }
  if (state === "closed") {
    return (
      <EmptyState title="No closed manual runs">
        <p>
          Runs appear here once they are closed. {showState(undefined, "Show open runs")} or{" "}
          {showState("all", "show all runs")}.
        </p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No open manual runs">
      <p>
        Closed runs are hidden by this filter. {showState("closed", "Show closed runs")} or{" "}
        {showState("all", "show all runs")}; a project manager starts a new run with “New manual run”.
      </p>
    </EmptyState>
  );
}
