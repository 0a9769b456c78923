import type { AutomationRun, FailureGroup, InsightCase, Milestone, NamedExpand } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type ReactNode, useId, useMemo } from "react";
import { buttonClass } from "../../ui/Button";
import { CopyButton } from "../../ui/CopyButton";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { Duration } from "../../ui/Duration";
import { EmptyState } from "../../ui/EmptyState";
import { FailureGroupLink } from "../../ui/FailureGroupLink";
import { formatCount, formatRelative } from "../../ui/format";
import { OutcomeStrip } from "../../ui/OutcomeStrip";
import { PageHeader } from "../../ui/PageHeader";
import { QuarantineBadge } from "../../ui/QuarantineBadge";
import { QueryState } from "../../ui/QueryState";
import { SegmentedControl } from "../../ui/SegmentedControl";
import { SelectField } from "../../ui/SelectField";
import { AutomationStatusChip } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";
import { ciCommand } from "../api-tokens/hooks";
import {
  RECENT_RUNS,
  TOP_TESTS,
  useFlakiest,
  useNewestFailureGroups,
  useOpenMilestones,
  useRecentRuns,
  useSlowest,
  useSources,
  useTrends,
} from "./hooks";
import { type DashboardSearch, TREND_DAYS, type TrendDays } from "./search";
import { TrendCharts } from "./TrendCharts";
import "../../ui/insights.css";
import "../../ui/charts.css";
import "./dashboard.css";

const routeApi = getRouteApi("/_app/projects/$projectId/");

/**
 * A project at a glance: its newest runs, pass-rate / test-count / duration trends, flakiest and slowest
 * tests, newest failure groups and milestones in progress; each section loads (and fails) on its own. A
 * project without runs shows how to upload the first one.
 */
export function ProjectDashboardPage() {
  const { projectId } = routeApi.useParams();
  const runs = useRecentRuns(projectId);
  const empty = runs.data !== undefined && runs.data.total === 0;
  return (
    <>
      <PageHeader title="Dashboard" />
      {empty ? (
        <FirstRun projectId={projectId} />
      ) : (
        <>
          <Section
            title="Recent runs"
            action={
              <Link to="/projects/$projectId/runs" params={{ projectId }}>
                All runs
              </Link>
            }
          >
            <QueryState query={runs} loadingLabel="Loading runs…">
              {(page) => (
                <RecentRuns runs={page.result.slice(0, RECENT_RUNS)} sources={page.expands.automation_sources ?? []} />
              )}
            </QueryState>
          </Section>
          <Trends projectId={projectId} />
          <div className="dashboard__pair">
            <Flakiest projectId={projectId} />
            <Slowest projectId={projectId} />
          </div>
          <div className="dashboard__pair">
            <NewestFailureGroups projectId={projectId} />
            <Milestones projectId={projectId} />
          </div>
        </>
      )}
      {empty ? <Milestones projectId={projectId} /> : null}
    </>
  );
}

function Section({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="dashboard__section" aria-labelledby={id}>
      <div className="dashboard__section-head">
        <h2 id={id} className="section-title">
          {title}
        </h2>
        {action ? <div className="dashboard__section-action">{action}</div> : null}
      </div>
      {children}
    </section>
  );
}

function FirstRun({ projectId }: { projectId: number }) {
  const command = ciCommand({ token: "<your API token>", origin: window.location.origin, projectId });
  return (
    <EmptyState title="No automation runs yet">
      <p>
        Upload your first test results with the assay CLI: run your tests through it in CI (or on your machine), and it
        sends their JUnit XML reports to this project.
      </p>
      <pre className="code" id="first-run-command">
        {command}
      </pre>
      <p>
        <CopyButton
          text={command}
          label="Copy the command"
          selectTarget={() => document.getElementById("first-run-command")}
        />
      </p>
      <p>
        It needs an API token:{" "}
        <Link to="/settings/tokens" className={buttonClass("secondary")}>
          Create an API token
        </Link>
      </p>
    </EmptyState>
  );
}

type RunRow = { run: AutomationRun; source: string };
const runCol = dataColumns<RunRow>();
const runColumns = runCol.columns([
  runCol.display({
    id: "name",
    header: "Run",
    cell: ({ row }) => (
      <Link
        to="/automation/runs/$runId"
        params={{ runId: row.original.run.id }}
        className="test-link run-link"
        title={row.original.run.name}
      >
        {row.original.run.name}
      </Link>
    ),
  }),
  runCol.display({ id: "source", header: "Source", cell: ({ row }) => row.original.source }),
  runCol.display({
    id: "status",
    header: "Status",
    cell: ({ row }) => <AutomationStatusChip status={row.original.run.is_completed ? row.original.run.status : 4} />,
  }),
  runCol.display({
    id: "results",
    header: "Results",
    cell: ({ row }) => <CountsBar counts={countsOf(row.original.run)} />,
  }),
  runCol.display({
    id: "tests",
    header: "Tests",
    meta: { align: "end" },
    cell: ({ row }) => formatCount(countsOf(row.original.run).total),
  }),
  runCol.display({
    id: "duration",
    header: "Duration",
    meta: { align: "end" },
    cell: ({ row }) => <Duration micros={row.original.run.elapsed} />,
  }),
  runCol.display({ id: "created", header: "Started", cell: ({ row }) => <Time value={row.original.run.created_at} /> }),
]);

function RecentRuns({ runs, sources }: { runs: AutomationRun[]; sources: readonly NamedExpand[] }) {
  const rows = useMemo(() => {
    const names = new Map(sources.map((s) => [s.id, s.name]));
    return runs.map((run) => ({ run, source: names.get(run.source_id) ?? `Source ${run.source_id}` }));
  }, [runs, sources]);
  return (
    <DataTable
      caption="Recent automation runs"
      captionHidden
      columns={runColumns}
      data={rows}
      getRowId={(row) => String(row.run.id)}
      manualSorting
    />
  );
}

const DAY_CHOICES = TREND_DAYS.map((days) => ({ value: String(days) as `${TrendDays}`, label: `${days} days` }));

function Trends({ projectId }: { projectId: number }) {
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const days: TrendDays = search.days ?? 30;
  const trends = useTrends(projectId, days, search.source);
  const sources = useSources(projectId);
  const sourceName = sources.data?.find((s) => s.id === search.source)?.name;
  function update(next: Partial<DashboardSearch>) {
    void navigate({ search: (prev) => ({ ...prev, ...next }), replace: true, resetScroll: false });
  }
  return (
    <Section title="Trends">
      <div className="dashboard__trend-controls">
        <SegmentedControl
          legend="Period"
          options={DAY_CHOICES}
          value={String(days) as `${TrendDays}`}
          onChange={(value) => update({ days: value === "30" ? undefined : (Number(value) as TrendDays) })}
        />
        <SelectField
          label="Source"
          value={search.source === undefined ? "" : String(search.source)}
          onChange={(event) => update({ source: event.target.value === "" ? undefined : Number(event.target.value) })}
        >
          <option value="">All sources (summed)</option>
          {search.source !== undefined && !sources.data?.some((s) => s.id === search.source) ? (
            <option value={String(search.source)}>Source {search.source}</option>
          ) : null}
          {(sources.data ?? []).map((source) => (
            <option key={source.id} value={String(source.id)}>
              {source.name}
            </option>
          ))}
        </SelectField>
      </div>
      <QueryState query={trends} loadingLabel="Loading trends…">
        {(entries) => (
          <TrendCharts
            entries={entries}
            days={days}
            scope={
              search.source === undefined ? "All sources, summed per day" : `Source ${sourceName ?? search.source} only`
            }
          />
        )}
      </QueryState>
    </Section>
  );
}

const flakyCol = dataColumns<InsightCase>();
const flakyColumns = flakyCol.columns([
  flakyCol.display({
    id: "name",
    header: "Test",
    cell: ({ row }) => (
      <>
        <Link to="/automation/cases/$caseId" params={{ caseId: row.original.id }} className="test-link">
          {row.original.name}
        </Link>{" "}
        <QuarantineBadge quarantine={row.original.quarantine} />
        <span className="cell-note">{row.original.folder}</span>
      </>
    ),
  }),
  flakyCol.display({
    id: "flaky",
    header: "Flaky",
    meta: { align: "end" },
    cell: ({ row }) => `${row.original.flaky_percent}%`,
  }),
  flakyCol.display({
    id: "recent",
    header: "Recent results",
    cell: ({ row }) => <OutcomeStrip outcomes={row.original.recent_outcomes} max={20} />,
  }),
]);

function Flakiest({ projectId }: { projectId: number }) {
  const tests = useFlakiest(projectId);
  return (
    <Section
      title="Flakiest tests"
      action={
        <Link to="/projects/$projectId/flaky" params={{ projectId }}>
          All flaky tests
        </Link>
      }
    >
      <QueryState query={tests} loadingLabel="Loading flaky tests…">
        {(page) => (
          <DataTable
            caption="The flakiest tests"
            captionHidden
            columns={flakyColumns}
            data={page.result.slice(0, TOP_TESTS)}
            getRowId={(test) => String(test.id)}
            manualSorting
            empty={<p className="muted">No flaky tests: none passed and failed on the same commit or flips often.</p>}
          />
        )}
      </QueryState>
    </Section>
  );
}

const slowCol = dataColumns<InsightCase>();
const slowColumns = slowCol.columns([
  slowCol.display({
    id: "name",
    header: "Test",
    cell: ({ row }) => (
      <>
        <Link to="/automation/cases/$caseId" params={{ caseId: row.original.id }} className="test-link">
          {row.original.name}
        </Link>
        <span className="cell-note">{row.original.folder}</span>
      </>
    ),
  }),
  slowCol.display({
    id: "average",
    header: "Average",
    meta: { align: "end" },
    cell: ({ row }) => <Duration micros={row.original.elapsed_average} />,
  }),
  slowCol.display({
    id: "p95",
    header: "p95 (last 30)",
    meta: { align: "end" },
    cell: ({ row }) => <Duration micros={row.original.elapsed_p95} />,
  }),
]);

function Slowest({ projectId }: { projectId: number }) {
  const tests = useSlowest(projectId);
  return (
    <Section
      title="Slowest tests"
      action={
        <Link to="/projects/$projectId/slowest" params={{ projectId }}>
          All slow tests
        </Link>
      }
    >
      <QueryState query={tests} loadingLabel="Loading slow tests…">
        {(page) => (
          <DataTable
            caption="The slowest tests by average duration"
            captionHidden
            columns={slowColumns}
            data={page.result.filter((test) => test.elapsed_average > 0).slice(0, TOP_TESTS)}
            getRowId={(test) => String(test.id)}
            manualSorting
            empty={<p className="muted">No timed results yet.</p>}
          />
        )}
      </QueryState>
    </Section>
  );
}

const groupCol = dataColumns<FailureGroup>();
const groupColumns = groupCol.columns([
  groupCol.display({
    id: "failure",
    header: "Failure",
    cell: ({ row }) => <FailureGroupLink group={row.original} />,
  }),
  groupCol.display({
    id: "count",
    header: "Failures",
    meta: { align: "end" },
    cell: ({ row }) => formatCount(row.original.occurrence_count),
  }),
  groupCol.display({
    id: "first",
    header: "First seen",
    cell: ({ row }) => (
      <>
        <Time value={row.original.first_seen_at} />
        <span className="cell-note">
          in{" "}
          <Link to="/automation/runs/$runId" params={{ runId: row.original.first_run_id }}>
            run {row.original.first_run_id}
          </Link>
        </span>
      </>
    ),
  }),
]);

function NewestFailureGroups({ projectId }: { projectId: number }) {
  const groups = useNewestFailureGroups(projectId);
  return (
    <Section
      title="Newest failure groups"
      action={
        <Link to="/projects/$projectId/failure-groups" params={{ projectId }} search={{ sort: "first_seen_at" }}>
          All failure groups
        </Link>
      }
    >
      <QueryState query={groups} loadingLabel="Loading failure groups…">
        {(page) => (
          <DataTable
            caption="The newest failure groups"
            captionHidden
            columns={groupColumns}
            data={page.result.slice(0, TOP_TESTS)}
            getRowId={(group) => String(group.id)}
            manualSorting
            empty={<p className="muted">No failure groups yet.</p>}
          />
        )}
      </QueryState>
    </Section>
  );
}

/** "due in 3 days", "due today", "3 days overdue" for a `YYYY-MM-DD` due date (UTC days). */
export function dueText(dueDate: string, now: Date = new Date()): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const due = Date.parse(`${dueDate}T00:00:00Z`);
  if (Number.isNaN(due)) return `due ${dueDate}`;
  const days = Math.round((due - today) / 86_400_000);
  if (days === 0) return "due today";
  if (days > 0) return `due ${formatRelative(new Date(now.getTime() + days * 86_400_000), now)}`;
  return `${-days} day${days === -1 ? "" : "s"} overdue`;
}

function Milestones({ projectId }: { projectId: number }) {
  const milestones = useOpenMilestones(projectId);
  return (
    <Section title="Milestones in progress">
      <QueryState query={milestones} loadingLabel="Loading milestones…">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No open milestones.</p>
          ) : (
            <ul className="dashboard__milestones">
              {list.map((milestone) => (
                <MilestoneItem key={milestone.id} milestone={milestone} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </Section>
  );
}

function MilestoneItem({ milestone }: { milestone: Milestone }) {
  const overdue = milestone.due_date !== null && dueText(milestone.due_date).endsWith("overdue");
  return (
    <li className="dashboard__milestone">
      <span className="dashboard__milestone-name">{milestone.name}</span>
      <span className="cell-note">
        {milestone.is_started ? "Started" : "Not started"}
        {milestone.start_date ? ` ${milestone.start_date}` : ""}
        {milestone.due_date ? (
          <>
            {" · "}
            <span className={overdue ? "dashboard__overdue" : undefined}>{dueText(milestone.due_date)}</span>
            {` (${milestone.due_date})`}
          </>
        ) : null}
      </span>
      {milestone.automation_tags.length > 0 ? (
        <span className="cell-note">Runs tagged {milestone.automation_tags.join(", ")}</span>
      ) : null}
    </li>
  );
}
