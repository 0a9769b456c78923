import "./run.css";
import type { AutomationRun, AutomationRunThread } from "@assay/api";
import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useDeclareProject } from "../../app/project-context";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { Duration } from "../../ui/Duration";
import { ErrorState } from "../../ui/ErrorState";
import { formatCount, formatDuration } from "../../ui/format";
import { Loading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { AutomationStatusChip } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";
import { shortCommit } from "../runs/runs-model";
import { Comparison } from "./Comparison";
import { ArtifactList, FieldList, LinkList } from "./content";
import {
  compactTestsQuery,
  type RunInfo,
  useComparison,
  useProjectRuns,
  useRunFailureGroups,
  useRunInfo,
  useRunTests,
} from "./hooks";
import { firstPageFits, type RunSearch, sameTableState, searchOf, type TableState, tableStateOf } from "./run-search";
import { TestPanel } from "./TestPanel";
import { statusName, TestTable, type TestTableHandle, toneOf } from "./TestTable";
import {
  chipOrder,
  computeView,
  type Group,
  type GroupBy,
  indexOfId,
  outcomesOf,
  type SortKey,
  type TestData,
} from "./table-model";

const routeApi = getRouteApi("/_app/automation/runs/$runId");

/**
 * An automation run: its header and counts, the comparison with its baseline, every test (a virtualized
 * table that stays instant at 100,000 tests, with a side panel for the selected one), then its threads,
 * fields, links and artifacts. Filters, sort, grouping, baseline and selection live in the URL.
 */
export function RunPage() {
  const { runId } = routeApi.useParams();
  const info = useRunInfo(runId);
  useDeclareProject(info.data?.run.project_id);

  if (info.isPending) return <Loading label="Loading the run…" />;
  if (info.isError && !info.data) {
    return (
      <>
        <PageHeader title={`Automation run ${runId}`} />
        <ErrorState error={info.error} retry={() => void info.refetch()} />
      </>
    );
  }
  return <RunView info={info.data} />;
}

function RunView({ info }: { info: RunInfo }) {
  const { run } = info;
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const running = !run.is_completed;
  const comparison = useComparison(run.id, search.baseline, running);
  const projectRuns = useProjectRuns(run.project_id);
  const counts = countsOf(run);
  const commit = comparison.data?.run.commit_sha ?? null;
  const branch = comparison.data?.run.branch ?? null;

  return (
    <div className="run-page">
      <PageHeader title={run.name} documentTitle={`${run.name} (run ${run.id})`}>
        <ul className="run-page__facts" aria-label="About this run">
          <li>
            <AutomationStatusChip status={running ? 4 : run.status} />
          </li>
          <li>
            <span className="muted">Source </span>
            {info.source}
          </li>
          {commit ? (
            <li>
              <span className="muted">Commit </span>
              <code title={commit}>{shortCommit(commit)}</code>
            </li>
          ) : null}
          {branch ? (
            <li className="run-page__branch">
              <span className="muted">Branch </span>
              {branch}
            </li>
          ) : null}
          {info.config ? (
            <li>
              <span className="muted">Configuration </span>
              {info.config}
            </li>
          ) : null}
          {info.milestone ? (
            <li>
              <span className="muted">Milestone </span>
              {info.milestone}
            </li>
          ) : null}
          <li>
            <span className="muted">Created </span>
            <Time value={run.created_at} />
          </li>
          <li>
            <span className="muted">Duration </span>
            {running ? (
              <span>running for {formatDuration(Math.max(0, Date.now() - Date.parse(run.created_at)) * 1000)}</span>
            ) : (
              <Duration micros={run.elapsed} />
            )}
          </li>
          {run.tags.length > 0 ? (
            <li className="run-page__tags">
              <span className="muted">Tags </span>
              {run.tags.map((tag) => (
                <span key={tag} className="run-page__tag">
                  {tag}
                </span>
              ))}
            </li>
          ) : null}
        </ul>
      </PageHeader>
      <div className="run-page__counts">
        <CountsBar counts={counts} legend />
        <span className="muted">
          {formatCount(counts.total)} test{counts.total === 1 ? "" : "s"} in {formatCount(run.threads.length)} thread
          {run.threads.length === 1 ? "" : "s"}
          {running ? " · running: updates live" : ""}
        </span>
        <Link to="/projects/$projectId/runs" params={{ projectId: run.project_id }} className="run-page__back">
          All runs of the project
        </Link>
      </div>
      <Comparison
        comparison={comparison.data}
        isPending={comparison.isPending}
        error={comparison.isError ? comparison.error : null}
        retry={() => void comparison.refetch()}
        runs={projectRuns.data}
        runId={run.id}
        baselineId={search.baseline}
        onBaselineChange={(baseline) =>
          void navigate({ search: (previous: RunSearch) => ({ ...previous, baseline }), replace: true })
        }
      />
      <TestsSection info={info} search={search} />
      <RunDetails run={run} />
    </div>
  );
}

// ---------------------------------------------------------------- tests

function useTableState(search: RunSearch) {
  const navigate = routeApi.useNavigate();
  const fromUrl = useMemo(() => tableStateOf(search), [search]);
  const [state, setState] = useState<TableState>(fromUrl);
  const written = useRef<TableState>(fromUrl);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // the URL changed by itself (back, forward, a link): the table follows it
  useEffect(() => {
    if (!sameTableState(fromUrl, written.current)) {
      written.current = fromUrl;
      setState(fromUrl);
    }
  }, [fromUrl]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const write = useCallback(
    (next: TableState) => {
      written.current = next;
      void navigate({ search: (previous: RunSearch) => ({ ...previous, ...searchOf(next) }), replace: true });
    },
    [navigate],
  );

  /** The table shows a change at once; the URL follows (typing: when the typing pauses). */
  const current = useRef(state);
  current.current = state;
  const change = useCallback(
    (patch: Partial<TableState>, typing = false) => {
      const next = { ...current.current, ...patch };
      current.current = next;
      setState(next);
      clearTimeout(timer.current);
      if (typing) timer.current = setTimeout(() => write(next), 300);
      else write(next);
    },
    [write],
  );
  return [state, change] as const;
}

function TestsSection({ info, search }: { info: RunInfo; search: RunSearch }) {
  const { run } = info;
  const navigate = routeApi.useNavigate();
  const queryClient = useQueryClient();
  const [state, change] = useTableState(search);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const table = useRef<TestTableHandle>(null);

  const firstWanted = firstPageFits(state);
  const { first, full } = useRunTests(run.id, state.sort, state.desc, firstWanted);
  const data: TestData | undefined = full.data ?? (firstWanted ? first.data : undefined);

  // a running run: the full list is asked for again when the run's test count has moved on
  const total = countsOf(run).total;
  useEffect(() => {
    if (!full.data || full.isFetching) return;
    if (total !== full.data.count) {
      const timer = setTimeout(
        () => void queryClient.invalidateQueries({ queryKey: compactTestsQuery(run.id).queryKey }),
        full.dataUpdatedAt + 10_000 - Date.now(),
      );
      return () => clearTimeout(timer);
    }
  }, [total, full.data, full.isFetching, full.dataUpdatedAt, queryClient, run.id]);

  const statuses = useMemo(() => new Map(info.statuses.map((s) => [s.id, s])), [info.statuses]);
  const outcomes = useMemo(() => outcomesOf(info.statuses), [info.statuses]);
  const groups = useRunFailureGroups(run.id, state.group === "failure_group" || search.test !== undefined);
  const groupMessages = useMemo(
    () => new Map(groups.data?.map((group) => [group.id, group.message]) ?? []),
    [groups.data],
  );

  const view = useMemo(
    () =>
      data
        ? computeView(data, outcomes, {
            statuses: data.complete ? state.statuses : [],
            query: data.complete ? state.query : "",
            sort: state.sort,
            desc: state.desc,
            group: data.complete ? state.group : "none",
            collapsed,
          })
        : undefined,
    [data, outcomes, state, collapsed],
  );

  const groupLabel = useCallback(
    (group: Group) => {
      if (group.kind === "folder") return data?.folders[group.id] || "(no folder)";
      if (group.id === 0) return "No failure group";
      const message = groupMessages.get(group.id);
      return message ? `#${group.id} ${message}` : `Failure group #${group.id}`;
    },
    [data, groupMessages],
  );

  const selectedId = search.test;
  const openTest = useCallback(
    (testId: number) =>
      void navigate({ search: (previous: RunSearch) => ({ ...previous, test: testId }), replace: true }),
    [navigate],
  );
  const closeTest = useCallback(() => {
    void navigate({ search: (previous: RunSearch) => ({ ...previous, test: undefined }), replace: true });
    table.current?.focus();
  }, [navigate]);

  const toggleGroup = useCallback((key: string, value?: boolean) => {
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (value ?? !next.has(key)) next.add(key);
      else next.delete(key);
      return next;
    });
  }, []);

  const loadingAll = !full.data;
  const chipIds = data ? chipOrder(data.complete ? data.statusCounts.keys() : statusIdsOfRun(run), outcomes) : [];
  const panelOpen = selectedId !== undefined;

  return (
    <section className="run-tests" aria-labelledby="run-tests-title">
      <h2 id="run-tests-title" className="section-title">
        Tests
      </h2>
      <div className="run-tests__toolbar">
        <fieldset className="run-tests__chips" disabled={loadingAll}>
          <legend className="sr-only">Show tests by status</legend>
          {chipIds.map((statusId) => {
            const pressed = state.statuses.includes(statusId);
            const count =
              view && data?.complete ? (view.statusCounts.get(statusId) ?? 0) : statusCountOfRun(run, statusId);
            return (
              <button
                key={statusId}
                type="button"
                aria-pressed={pressed}
                className={`chip chip--${toneOf(statusId, outcomes)} status-filter${pressed ? " status-filter--on" : ""}`}
                onClick={() =>
                  change({
                    statuses: pressed ? state.statuses.filter((s) => s !== statusId) : [...state.statuses, statusId],
                  })
                }
              >
                <span className="chip__mark" aria-hidden="true" />
                {statusName(statusId, statuses)} <span className="status-filter__count">{formatCount(count)}</span>
              </button>
            );
          })}
          {state.statuses.length > 0 ? (
            <button type="button" className="button button--ghost" onClick={() => change({ statuses: [] })}>
              All statuses
            </button>
          ) : null}
        </fieldset>
        <div className="run-tests__controls">
          <input
            type="search"
            className="field__input run-tests__search"
            aria-label="Search tests by name or folder"
            placeholder="Search name or folder"
            value={state.query}
            disabled={loadingAll}
            onChange={(event) => change({ query: event.target.value }, true)}
          />
          <label className="run-tests__select">
            <span>Group</span>
            <select
              className="field__input"
              value={state.group}
              disabled={loadingAll}
              onChange={(event) => change({ group: event.target.value as GroupBy })}
            >
              <option value="none">None</option>
              <option value="folder">By folder</option>
              <option value="failure_group">By failure group</option>
            </select>
          </label>
          <label className="run-tests__select">
            <span>Sort</span>
            <select
              className="field__input"
              value={`${state.sort}:${state.desc ? "desc" : "asc"}`}
              onChange={(event) => {
                const [sort, order] = event.target.value.split(":") as [SortKey, string];
                change({ sort, desc: order === "desc" });
              }}
            >
              <option value="status:desc">Failures first</option>
              <option value="status:asc">Passes first</option>
              <option value="name:asc">Name A–Z</option>
              <option value="name:desc">Name Z–A</option>
              <option value="duration:desc">Slowest first</option>
              <option value="duration:asc">Fastest first</option>
            </select>
          </label>
        </div>
      </div>
      <p className="run-tests__summary muted" role="status">
        {!data
          ? ""
          : loadingAll
            ? `Showing the first ${formatCount(data.count)} of ${formatCount(total)} tests; loading all of them for filters and search…`
            : view
              ? view.matched === data.count
                ? `${formatCount(data.count)} tests`
                : `${formatCount(view.matched)} of ${formatCount(data.count)} tests`
              : ""}
      </p>
      {full.isError && !full.data ? (
        <ErrorState error={full.error} retry={() => void full.refetch()} title="The tests could not be loaded" />
      ) : !data || !view ? (
        first.isError && !full.isFetching ? (
          <ErrorState error={first.error} retry={() => void first.refetch()} />
        ) : (
          <Loading label="Loading the tests…" />
        )
      ) : (
        <div className={panelOpen ? "run-tests__body run-tests__body--with-panel" : "run-tests__body"}>
          <TestTable
            ref={table}
            caption={`Tests of ${run.name}`}
            data={data}
            view={view}
            outcomes={outcomes}
            statuses={statuses}
            groupLabel={groupLabel}
            sort={state.sort}
            desc={state.desc}
            onSort={(sort, desc) => change({ sort, desc })}
            selectedId={selectedId}
            panelOpen={panelOpen}
            onOpen={openTest}
            onClose={closeTest}
            onToggleGroup={toggleGroup}
          />
          {selectedId !== undefined ? (
            <TestPanel
              key={selectedId}
              testId={selectedId}
              data={data}
              index={indexOfId(data, selectedId)}
              outcomes={outcomes}
              statuses={statuses}
              failureGroupLabel={(id) => groupMessages.get(id) ?? null}
              onClose={closeTest}
            />
          ) : null}
        </div>
      )}
    </section>
  );
}

/** Status ids that have tests in the run, from its counters (before the full list is there). */
function statusIdsOfRun(run: AutomationRun): number[] {
  const ids: number[] = [];
  for (let statusId = 1; statusId <= 25; statusId++) if (statusCountOfRun(run, statusId) > 0) ids.push(statusId);
  return ids;
}

function statusCountOfRun(run: AutomationRun, statusId: number): number {
  const name = statusId === 1 ? "untested_count" : `status${statusId - 1}_count`;
  const value = (run as unknown as Record<string, unknown>)[name];
  return typeof value === "number" ? value : 0;
}

// ---------------------------------------------------------------- details

const threadCol = dataColumns<AutomationRunThread>();
const threadColumns = threadCol.columns([
  threadCol.accessor("index", { header: "Thread", enableSorting: false, cell: ({ getValue }) => `#${getValue()}` }),
  threadCol.display({
    id: "status",
    header: "Status",
    enableSorting: false,
    cell: ({ row }) => <AutomationStatusChip status={row.original.is_completed ? row.original.status : 4} />,
  }),
  threadCol.display({
    id: "results",
    header: "Results",
    enableSorting: false,
    cell: ({ row }) => <CountsBar counts={countsOf(row.original)} />,
  }),
  threadCol.display({
    id: "tests",
    header: "Tests",
    enableSorting: false,
    meta: { align: "end" },
    cell: ({ row }) => formatCount(countsOf(row.original).total),
  }),
  threadCol.display({
    id: "failed",
    header: "Failed",
    enableSorting: false,
    meta: { align: "end" },
    cell: ({ row }) => formatCount(countsOf(row.original).failed),
  }),
  threadCol.display({
    id: "elapsed",
    header: "Duration",
    enableSorting: false,
    meta: { align: "end" },
    cell: ({ row }) => <Duration micros={row.original.elapsed} />,
  }),
]);

function RunDetails({ run }: { run: AutomationRun }) {
  const threadDetails = run.threads.filter((thread) => thread.fields.length > 0 || thread.artifacts.length > 0);
  return (
    <section className="run-details" aria-labelledby="run-details-title">
      <h2 id="run-details-title" className="section-title">
        Run details
      </h2>
      <section aria-labelledby="run-threads-title">
        <h3 id="run-threads-title" className="run-details__title">
          Threads ({formatCount(run.threads.length)})
        </h3>
        <DataTable
          caption="Threads"
          captionHidden
          columns={threadColumns}
          data={run.threads}
          getRowId={(thread) => String(thread.id)}
          manualSorting
          empty={<p className="muted">No threads yet.</p>}
        />
      </section>
      <div className="run-details__grid">
        <section aria-labelledby="run-links-title">
          <h3 id="run-links-title" className="run-details__title">
            Links
          </h3>
          <LinkList links={run.links} />
        </section>
        <section aria-labelledby="run-artifacts-title">
          <h3 id="run-artifacts-title" className="run-details__title">
            Artifacts
          </h3>
          <ArtifactList artifacts={run.artifacts} />
        </section>
      </div>
      <section aria-labelledby="run-fields-title">
        <h3 id="run-fields-title" className="run-details__title">
          Fields
        </h3>
        <FieldList fields={run.fields} emptyText="No fields." />
      </section>
      {threadDetails.map((thread) => (
        <section key={thread.id} aria-label={`Thread ${thread.index}`}>
          <h3 className="run-details__title">Thread #{thread.index}</h3>
          <FieldList fields={thread.fields} />
          {thread.artifacts.length > 0 ? <ArtifactList artifacts={thread.artifacts} /> : null}
        </section>
      ))}
    </section>
  );
}
