import type { CaseFailureGroup, InsightCase, TestHistoryItem } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { useDeclareProject } from "../../app/project-context";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { Duration } from "../../ui/Duration";
import { EmptyState } from "../../ui/EmptyState";
import { ErrorState } from "../../ui/ErrorState";
import { FailureGroupLink } from "../../ui/FailureGroupLink";
import { TextField } from "../../ui/Field";
import { formatCount } from "../../ui/format";
import {
  DEFAULT_SETTINGS,
  flakyReasonTexts,
  formatChange,
  OUTCOME_LABELS,
  outcomeName,
  shortSha,
} from "../../ui/insights";
import { Loading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Pager } from "../../ui/Pager";
import { QuarantineBadge } from "../../ui/QuarantineBadge";
import { QueryState } from "../../ui/QueryState";
import { SelectField } from "../../ui/SelectField";
import { ResultStatusChip, StatusChip, type StatusTone } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";
import { useDebouncedText } from "../../ui/useDebouncedText";
import { DurationChart } from "./DurationChart";
import { HistoryStrip } from "./HistoryStrip";
import { stripCells } from "./history";
import {
  useCaseFailureGroups,
  useHistoryPage,
  useInsightSettings,
  useRecentHistory,
  useSources,
  useTestCase,
} from "./hooks";
import { QuarantinePanel } from "./QuarantinePanel";
import type { TestSearch } from "./search";
import "../../ui/insights.css";
import "./test-page.css";

const routeApi = getRouteApi("/_app/automation/cases/$caseId");

const TONES: Readonly<Record<string, StatusTone>> = { passed: "passed", failed: "failed", neutral: "neutral" };

/**
 * One test (an automation case) across all the runs of its source: its last 100 results as a strip and a
 * duration chart, its flakiness and why, its figures, quarantine, failure groups and paged history.
 */
export function TestPage() {
  const { caseId } = routeApi.useParams();
  const test = useTestCase(caseId);
  useDeclareProject(test.data?.project_id);
  if (test.isPending) {
    return (
      <>
        <PageHeader title={`Test ${caseId}`} />
        <Loading label="Loading the test…" />
      </>
    );
  }
  if (test.isError) {
    return (
      <>
        <PageHeader title={`Test ${caseId}`} />
        <ErrorState error={test.error} retry={() => void test.refetch()} />
      </>
    );
  }
  return <TestDetail test={test.data} />;
}

function TestDetail({ test }: { test: InsightCase }) {
  const sources = useSources(test.project_id);
  const source = sources.data?.find((s) => s.id === test.source_id);
  const latest = outcomeName(test.status);
  return (
    <>
      <PageHeader title={test.name}>
        <p className="test-page__where">
          <span>
            <span className="muted">Folder</span> {test.folder || "—"}
          </span>
          <span>
            <span className="muted">Source</span> {source?.name ?? `Source ${test.source_id}`}
          </span>
          {test.last_run_id ? (
            <span>
              <span className="muted">Latest run</span>{" "}
              <Link to="/automation/runs/$runId" params={{ runId: test.last_run_id }}>
                run {test.last_run_id}
              </Link>
            </span>
          ) : null}
        </p>
        <p className="test-page__chips">
          <StatusChip tone={TONES[latest] ?? "neutral"}>
            Latest: {latest === "neutral" ? "neither passed nor failed" : OUTCOME_LABELS[latest].toLowerCase()}
          </StatusChip>
          {test.is_flaky ? <StatusChip tone="failed">Flaky · {test.flaky_percent}%</StatusChip> : null}
          <QuarantineBadge quarantine={test.quarantine} />
        </p>
      </PageHeader>

      <div className="test-page__top">
        <div className="test-page__facts">
          <Flakiness test={test} />
          <Figures test={test} />
        </div>
        <QuarantinePanel test={test} />
      </div>

      <RecentResults caseId={test.id} />
      <FailureGroups caseId={test.id} />
      <History caseId={test.id} />
    </>
  );
}

function Flakiness({ test }: { test: InsightCase }) {
  const settings = useInsightSettings(test.project_id).data ?? DEFAULT_SETTINGS;
  return (
    <section aria-labelledby="flakiness" className="test-page__flakiness">
      <h2 id="flakiness" className="section-title">
        {test.is_flaky ? `Flaky: ${test.flaky_percent}% flip rate` : "Not flaky"}
      </h2>
      {test.is_flaky ? (
        <ul>
          {flakyReasonTexts(test, settings).map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      ) : (
        <p>
          Its outcome changed between consecutive results {test.flaky_percent}% of the time over its last{" "}
          {settings.flaky_window} results (a test is flaky from {settings.flaky_threshold_percent}% with at least{" "}
          {settings.flaky_min_results} results, or when it passes and fails on the same commit).
        </p>
      )}
    </section>
  );
}

function Figures({ test }: { test: InsightCase }) {
  return (
    <dl className="figures">
      <div>
        <dt>Results</dt>
        <dd>{formatCount(test.result_count)}</dd>
      </div>
      <div>
        <dt>Passed</dt>
        <dd>{formatCount(test.success_count)}</dd>
      </div>
      <div>
        <dt>Failed</dt>
        <dd>
          {formatCount(test.failure_count)}
          {test.last_failed_at ? (
            <span className="figures__note">
              last <Time value={test.last_failed_at} />
            </span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>Neither (skipped…)</dt>
        <dd>{formatCount(test.skipped_count)}</dd>
      </div>
      <div>
        <dt>Average duration</dt>
        <dd>
          <Duration micros={test.elapsed_average} />
        </dd>
      </div>
      <div>
        <dt>p95 of the last 30</dt>
        <dd>
          <Duration micros={test.elapsed_p95} />
        </dd>
      </div>
      <div>
        <dt>Duration change</dt>
        <dd>
          {formatChange(test.elapsed_change_percent)}
          <span className="figures__note">
            {test.elapsed_change_percent === null ? "needs 10 timed results" : "median of the last 5 vs the 25 before"}
          </span>
        </dd>
      </div>
    </dl>
  );
}

function RecentResults({ caseId }: { caseId: number }) {
  const history = useRecentHistory(caseId);
  const cells = useMemo(() => stripCells(history.data?.result ?? []), [history.data]);
  return (
    <section aria-labelledby="recent-results" className="test-page__recent">
      <h2 id="recent-results" className="section-title">
        Recent results
      </h2>
      <QueryState query={history} loadingLabel="Loading the results…">
        {(page) =>
          page.result.length === 0 ? (
            <p className="muted">No results yet.</p>
          ) : (
            <>
              <HistoryStrip cells={cells} title={cells.length === 1 ? "Last result" : `Last ${cells.length} results`} />
              <DurationChart history={page.result} />
            </>
          )
        }
      </QueryState>
    </section>
  );
}

const groupCol = dataColumns<CaseFailureGroup>();
const groupColumns = groupCol.columns([
  groupCol.display({
    id: "failure",
    header: "Failure",
    cell: ({ row }) => <FailureGroupLink group={row.original} />,
  }),
  groupCol.accessor("test_occurrence_count", {
    header: "Failures of this test",
    enableSorting: false,
    meta: { align: "end" },
    cell: ({ getValue }) => formatCount(getValue()),
  }),
  groupCol.accessor("test_last_seen_at", {
    header: "Latest here",
    enableSorting: false,
    cell: ({ getValue }) => <Time value={getValue()} />,
  }),
  groupCol.display({
    id: "group",
    header: "In the whole group",
    cell: ({ row }) => (
      <span className="cell-note-main">
        {formatCount(row.original.occurrence_count)} failures of {formatCount(row.original.test_count)}{" "}
        {row.original.test_count === 1 ? "test" : "tests"}
      </span>
    ),
  }),
]);

function FailureGroups({ caseId }: { caseId: number }) {
  const groups = useCaseFailureGroups(caseId);
  return (
    <section aria-labelledby="failure-groups">
      <h2 id="failure-groups" className="section-title">
        Failure groups
      </h2>
      <QueryState query={groups} loadingLabel="Loading the failure groups…">
        {(page) => (
          <DataTable
            caption="Failure groups of this test, latest first"
            captionHidden
            columns={groupColumns}
            data={page.result}
            getRowId={(group) => String(group.id)}
            manualSorting
            empty={<p className="muted">This test has not failed with a failure message that makes a group.</p>}
          />
        )}
      </QueryState>
    </section>
  );
}

const historyCol = dataColumns<TestHistoryItem>();
const historyColumns = historyCol.columns([
  historyCol.accessor("status_id", {
    header: "Result",
    enableSorting: false,
    cell: ({ getValue }) => <ResultStatusChip statusId={getValue()} />,
  }),
  historyCol.accessor("run_name", {
    header: "Run",
    enableSorting: false,
    cell: ({ row }) => (
      <Link
        to="/automation/runs/$runId"
        params={{ runId: row.original.run_id }}
        className="run-link"
        title={row.original.run_name}
      >
        {row.original.run_name}
      </Link>
    ),
  }),
  historyCol.accessor("branch", {
    header: "Branch and commit",
    enableSorting: false,
    cell: ({ row }) =>
      row.original.branch || row.original.commit_sha ? (
        <>
          <span className="cell-note-main">{row.original.branch ?? "—"}</span>
          {row.original.commit_sha ? (
            <span className="cell-note">
              <code title={row.original.commit_sha}>{shortSha(row.original.commit_sha)}</code>
            </span>
          ) : null}
        </>
      ) : (
        <span className="muted">—</span>
      ),
  }),
  historyCol.accessor("elapsed", {
    header: "Duration",
    enableSorting: false,
    meta: { align: "end" },
    cell: ({ getValue }) => <Duration micros={getValue()} />,
  }),
  historyCol.accessor("message", {
    header: "Failure",
    enableSorting: false,
    cell: ({ row }) =>
      row.original.message ? (
        <>
          <span className="truncate" title={row.original.message}>
            {row.original.message}
          </span>
          {row.original.failure_group_id ? (
            <Link
              to="/failure-groups/$groupId"
              params={{ groupId: row.original.failure_group_id }}
              className="cell-note"
            >
              failure group {row.original.failure_group_id}
            </Link>
          ) : null}
        </>
      ) : (
        <span className="muted">—</span>
      ),
  }),
  historyCol.accessor("created_at", {
    header: "When",
    enableSorting: false,
    cell: ({ getValue }) => <Time value={getValue()} />,
  }),
]);

function History({ caseId }: { caseId: number }) {
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const history = useHistoryPage(caseId, search);
  function update(next: Partial<TestSearch>, options: { replace?: boolean } = {}) {
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...next }), replace: options.replace });
  }
  const [branch, setBranch] = useDebouncedText(search.branch, (text) => update({ branch: text }, { replace: true }));
  const filtered = search.status !== undefined || search.branch !== undefined;
  return (
    <section aria-labelledby="history">
      <h2 id="history" className="section-title">
        History
      </h2>
      <search className="filters" aria-label="History filters">
        <SelectField
          label="Outcome"
          value={search.status ?? ""}
          onChange={(event) => update({ status: (event.target.value || undefined) as TestSearch["status"] })}
        >
          <option value="">All results</option>
          <option value="passed">Passed</option>
          <option value="failed">Failed</option>
          <option value="neutral">Neither (skipped, untested…)</option>
        </SelectField>
        <TextField
          label="Branch (exact)"
          value={branch}
          maxLength={750}
          onChange={(event) => setBranch(event.target.value)}
        />
      </search>
      <QueryState query={history} loadingLabel="Loading the history…">
        {(page) => (
          <>
            <DataTable
              caption="Results of this test, newest first"
              captionHidden
              columns={historyColumns}
              data={page.result}
              getRowId={(item) => String(item.id)}
              manualSorting
              empty={
                <EmptyState title={filtered ? "No results match these filters" : "No results yet"}>
                  {filtered ? <p>Change the outcome or the branch to see more.</p> : null}
                </EmptyState>
              }
            />
            <Pager
              envelope={page}
              noun="results"
              label="History pages"
              onPage={(p) => update({ page: p === 1 ? undefined : p })}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
