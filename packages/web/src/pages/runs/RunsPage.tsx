import "./runs.css";
import type { AutomationRun } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useEffect, useId, useState } from "react";
import { buttonClass } from "../../ui/Button";
import { CopyButton } from "../../ui/CopyButton";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { Duration } from "../../ui/Duration";
import { EmptyState } from "../../ui/EmptyState";
import { ErrorState } from "../../ui/ErrorState";
import { formatCount, formatDuration } from "../../ui/format";
import { Loading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { AutomationStatusChip } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";
import { type RunsPage as RunsData, useMilestones, useRuns, useSources } from "./hooks";
import {
  commitAndBranch,
  filterByName,
  hasServerFilters,
  isRunning,
  RUN_STATUSES,
  RUNS_PER_PAGE,
  type RunsSearch,
  shortCommit,
  submitCommand,
} from "./runs-model";

const routeApi = getRouteApi("/_app/projects/$projectId/runs");

interface RunRow {
  run: AutomationRun;
  source: string;
  milestone: string | null;
  config: string | null;
  commit: string | null;
  branch: string | null;
}

const col = dataColumns<RunRow>();
const columns = col.columns([
  col.display({
    id: "run",
    header: "Run",
    enableSorting: false,
    cell: ({ row }) => {
      const { run, config, milestone } = row.original;
      return (
        <div className="runs__name">
          <Link to="/automation/runs/$runId" params={{ runId: run.id }}>
            {run.name}
          </Link>
          <div className="runs__meta muted">
            <span>#{run.id}</span>
            {config ? <span>{config}</span> : null}
            {milestone ? <span>Milestone: {milestone}</span> : null}
            {run.tags.map((tag) => (
              <span key={tag} className="runs__tag">
                {tag}
              </span>
            ))}
          </div>
        </div>
      );
    },
  }),
  col.display({ id: "source", header: "Source", enableSorting: false, cell: ({ row }) => row.original.source }),
  col.display({
    id: "status",
    header: "Status",
    enableSorting: false,
    cell: ({ row }) => <AutomationStatusChip status={row.original.run.is_completed ? row.original.run.status : 4} />,
  }),
  col.display({
    id: "results",
    header: "Results",
    enableSorting: false,
    cell: ({ row }) => <CountsBar counts={countsOf(row.original.run)} />,
  }),
  col.display({
    id: "tests",
    header: "Tests",
    enableSorting: false,
    meta: { align: "end" },
    cell: ({ row }) => formatCount(countsOf(row.original.run).total),
  }),
  col.display({
    id: "duration",
    header: "Duration",
    enableSorting: false,
    meta: { align: "end" },
    cell: ({ row }) => <RunDuration run={row.original.run} />,
  }),
  col.display({
    id: "commit",
    header: "Commit",
    enableSorting: false,
    cell: ({ row }) => <CommitCell commit={row.original.commit} branch={row.original.branch} />,
  }),
  col.display({
    id: "created",
    header: "Created",
    enableSorting: false,
    cell: ({ row }) => <Time value={row.original.run.created_at} />,
  }),
]);

const getRowId = (row: RunRow) => String(row.run.id);

function RunDuration({ run }: { run: AutomationRun }) {
  if (isRunning(run)) {
    const micros = (Date.now() - Date.parse(run.created_at)) * 1000;
    return <span className="muted">running {Number.isFinite(micros) ? formatDuration(Math.max(0, micros)) : ""}</span>;
  }
  return <Duration micros={run.elapsed} />;
}

function CommitCell({ commit, branch }: { commit: string | null; branch: string | null }) {
  if (!commit && !branch) return <span className="muted">—</span>;
  return (
    <div className="runs__commit">
      {commit ? (
        <code title={commit} className="runs__sha">
          {shortCommit(commit)}
        </code>
      ) : null}
      {branch ? (
        <span className="runs__branch muted" title={branch}>
          {branch}
        </span>
      ) : null}
    </div>
  );
}

/** A project's automation runs: filters in the URL, pages, live updates while runs are running. */
export function RunsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const runs = useRuns(projectId, search);

  const update = (changes: Partial<RunsSearch>, keepPage = false) =>
    void navigate({
      search: (previous: RunsSearch) => {
        const next: RunsSearch = { ...previous, ...changes };
        if (!keepPage) delete next.page;
        for (const key of Object.keys(next) as (keyof RunsSearch)[]) {
          if (next[key] === undefined || next[key] === "") delete next[key];
        }
        return next;
      },
      replace: true,
    });

  const data = runs.data;
  const noRunsAtAll = data !== undefined && data.envelope.total === 0 && !hasServerFilters(search) && !search.page;

  return (
    <>
      <PageHeader title="Automation runs">
        <p className="muted">Test results uploaded by CI, newest first. Running runs update live.</p>
      </PageHeader>
      {noRunsAtAll ? (
        <NoRunsYet projectId={projectId} />
      ) : (
        <>
          <RunFilters projectId={projectId} search={search} update={update} />
          {runs.isPending ? (
            <Loading label="Loading runs…" />
          ) : runs.isError && !data ? (
            <ErrorState error={runs.error} retry={() => void runs.refetch()} />
          ) : data ? (
            <RunsTable data={data} search={search} update={update} refreshing={runs.isFetching} />
          ) : null}
        </>
      )}
    </>
  );
}

function RunsTable({
  data,
  search,
  update,
  refreshing,
}: {
  data: RunsData;
  search: RunsSearch;
  update: (changes: Partial<RunsSearch>, keepPage?: boolean) => void;
  refreshing: boolean;
}) {
  const { envelope } = data;
  const rows: RunRow[] = filterByName(envelope.result, search.name).map((run) => ({
    run,
    source: data.sources.get(run.source_id) ?? `Source ${run.source_id}`,
    milestone: run.milestone_id ? (data.milestones.get(run.milestone_id) ?? null) : null,
    config: run.config_id ? (data.configs.get(run.config_id) ?? null) : null,
    ...commitAndBranchOf(run),
  }));
  const live = envelope.result.some(isRunning);
  const page = envelope.page ?? 1;
  const lastPage = envelope.last_page ?? 1;
  return (
    <>
      <div className="runs__summary">
        <p className="muted" aria-live="polite">
          {formatCount(envelope.total)} run{envelope.total === 1 ? "" : "s"}
          {search.name ? `; ${formatCount(rows.length)} of this page's named “${search.name}”` : ""}
          {live ? " · updating live while runs are running" : ""}
        </p>
        {refreshing ? <span className="runs__refreshing muted">Refreshing…</span> : null}
      </div>
      <DataTable
        caption="Automation runs"
        captionHidden
        columns={columns}
        data={rows}
        getRowId={getRowId}
        manualSorting
        empty={
          <EmptyState title="No runs match these filters">
            <p>
              {search.name && envelope.result.length > 0
                ? "No run on this page has that name. The name filter looks at the runs of this page only; other pages may have some."
                : "Change or clear the filters to see more runs."}
            </p>
            <button type="button" className={buttonClass("secondary")} onClick={() => update(CLEARED)}>
              Clear filters
            </button>
          </EmptyState>
        }
      />
      {lastPage > 1 ? (
        <nav className="runs__pages" aria-label="Pages of runs">
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={page <= 1}
            onClick={() => update({ page: page - 1 > 1 ? page - 1 : undefined }, true)}
          >
            Previous
          </button>
          <span>
            Page {formatCount(page)} of {formatCount(lastPage)} ({RUNS_PER_PAGE} per page)
          </span>
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={page >= lastPage}
            onClick={() => update({ page: page + 1 }, true)}
          >
            Next
          </button>
        </nav>
      ) : null}
    </>
  );
}

function commitAndBranchOf(run: AutomationRun) {
  return commitAndBranch(run.fields);
}

const CLEARED: Partial<RunsSearch> = {
  source: undefined,
  status: undefined,
  tags: undefined,
  milestone: undefined,
  after: undefined,
  before: undefined,
  name: undefined,
};

function RunFilters({
  projectId,
  search,
  update,
}: {
  projectId: number;
  search: RunsSearch;
  update: (changes: Partial<RunsSearch>) => void;
}) {
  const sources = useSources(projectId);
  const milestones = useMilestones(projectId);
  const id = useId();
  const [tags, setTags] = useState(search.tags ?? "");
  const [name, setName] = useState(search.name ?? "");
  useEffect(() => setTags(search.tags ?? ""), [search.tags]);
  useEffect(() => setName(search.name ?? ""), [search.name]);
  const applyTags = () => {
    if (tags.trim() !== (search.tags ?? "")) update({ tags: tags.trim() || undefined });
  };
  const any = Object.values({ ...search, page: undefined }).some((value) => value !== undefined);

  return (
    <search className="runs__filters" aria-label="Filter runs">
      <div className="runs__filter">
        <label htmlFor={`${id}-source`}>Source</label>
        <select
          id={`${id}-source`}
          className="field__input"
          value={search.source ?? ""}
          onChange={(event) => update({ source: event.target.value || undefined })}
        >
          <option value="">All sources</option>
          {sources.data?.map((source) => (
            <option key={source.id} value={String(source.id)}>
              {source.name}
            </option>
          ))}
          {search.source && !sources.data?.some((s) => String(s.id) === search.source) ? (
            <option value={search.source}>Sources {search.source}</option>
          ) : null}
        </select>
      </div>
      <div className="runs__filter">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          className="field__input"
          value={search.status ?? ""}
          onChange={(event) => update({ status: event.target.value || undefined })}
        >
          <option value="">Any status</option>
          {RUN_STATUSES.map((status) => (
            <option key={status.value} value={status.value}>
              {status.label}
            </option>
          ))}
          {search.status && !RUN_STATUSES.some((s) => s.value === search.status) ? (
            <option value={search.status}>Statuses {search.status}</option>
          ) : null}
        </select>
      </div>
      <div className="runs__filter">
        <label htmlFor={`${id}-milestone`}>Milestone</label>
        <select
          id={`${id}-milestone`}
          className="field__input"
          value={search.milestone ?? ""}
          onChange={(event) => update({ milestone: event.target.value || undefined })}
        >
          <option value="">Any milestone</option>
          {milestones.data?.map((milestone) => (
            <option key={milestone.id} value={String(milestone.id)}>
              {milestone.name}
            </option>
          ))}
          {search.milestone && !milestones.data?.some((m) => String(m.id) === search.milestone) ? (
            <option value={search.milestone}>Milestones {search.milestone}</option>
          ) : null}
        </select>
      </div>
      <div className="runs__filter">
        <label htmlFor={`${id}-tags`}>Tags</label>
        <input
          id={`${id}-tags`}
          className="field__input"
          value={tags}
          placeholder="nightly, smoke"
          aria-describedby={`${id}-tags-hint`}
          onChange={(event) => setTags(event.target.value)}
          onBlur={applyTags}
          onKeyDown={(event) => {
            if (event.key === "Enter") applyTags();
          }}
        />
        <span id={`${id}-tags-hint`} className="sr-only">
          Comma-separated; runs with any of them. Press Enter to apply.
        </span>
      </div>
      <div className="runs__filter">
        <label htmlFor={`${id}-after`}>Created from</label>
        <input
          id={`${id}-after`}
          type="date"
          className="field__input"
          value={search.after ?? ""}
          max={search.before}
          onChange={(event) => update({ after: event.target.value || undefined })}
        />
      </div>
      <div className="runs__filter">
        <label htmlFor={`${id}-before`}>Created to</label>
        <input
          id={`${id}-before`}
          type="date"
          className="field__input"
          value={search.before ?? ""}
          min={search.after}
          onChange={(event) => update({ before: event.target.value || undefined })}
        />
      </div>
      <div className="runs__filter runs__filter--name">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          type="search"
          className="field__input"
          value={name}
          placeholder="Part of the name"
          aria-describedby={`${id}-name-hint`}
          onChange={(event) => {
            setName(event.target.value);
            update({ name: event.target.value.trim() || undefined });
          }}
        />
        <span id={`${id}-name-hint`} className="runs__hint muted">
          Filters the runs of this page
        </span>
      </div>
      {any ? (
        <button type="button" className={buttonClass("ghost", "runs__clear")} onClick={() => update(CLEARED)}>
          Clear filters
        </button>
      ) : null}
    </search>
  );
}

function NoRunsYet({ projectId }: { projectId: number }) {
  const command = submitCommand(window.location.origin, projectId);
  return (
    <EmptyState title="No automation runs yet">
      <p>
        Send test results from CI with the <code>assay</code> CLI. In your pipeline, set <code>ASSAY_TOKEN</code> to an
        API token (create one on the <Link to="/settings/tokens">API tokens page</Link>), then run your tests through
        it:
      </p>
      <pre className="code runs__command" id="runs-submit-command">
        {command}
      </pre>
      <CopyButton
        text={command}
        label="Copy command"
        selectTarget={() => document.getElementById("runs-submit-command")}
      />
      <p className="runs__command-note muted">
        It creates a run in this project (id {projectId}), uploads every JUnit XML file matching --results, and
        completes the run with your test command's exit code. The run appears here as it uploads.
      </p>
    </EmptyState>
  );
}
