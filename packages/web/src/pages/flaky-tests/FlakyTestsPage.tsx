import type { AutomationSource, InsightCase, InsightSettings } from "@assay/api";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { Button } from "../../ui/Button";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { formatCount } from "../../ui/format";
import { DEFAULT_SETTINGS, flakyReasonLabel, flakyReasonTexts } from "../../ui/insights";
import { OutcomeStrip } from "../../ui/OutcomeStrip";
import { PageHeader } from "../../ui/PageHeader";
import { Pager } from "../../ui/Pager";
import { QuarantineBadge } from "../../ui/QuarantineBadge";
import { QueryState } from "../../ui/QueryState";
import { FolderAndSource, TestLink } from "../../ui/TestCells";
import { TestFilters } from "../../ui/TestFilters";
import { Time } from "../../ui/Time";
import { nextUrlSort, sortParams, toSortingState } from "../../ui/url-sort";
import { useFlakyTests, useInsightSettings, useSources } from "./hooks";
import { type FlakySearch, type FlakySort, flakyFirstOrder } from "./search";

const routeApi = getRouteApi("/_app/projects/$projectId/flaky");

const col = dataColumns<InsightCase>();
const getRowId = (test: InsightCase) => String(test.id);

function flakyColumns(sources: Map<number, string>, settings: InsightSettings) {
  return col.columns([
    col.accessor("name", {
      header: "Test",
      cell: ({ row }) => <TestLink test={row.original} />,
    }),
    col.accessor("folder", {
      header: "Folder",
      enableSorting: false,
      cell: ({ row }) => <FolderAndSource test={row.original} sources={sources} />,
    }),
    col.accessor("flaky_percent", {
      header: "Flaky",
      meta: { align: "end" },
      cell: ({ getValue }) => `${getValue()}%`,
    }),
    col.display({
      id: "reasons",
      header: "Why",
      cell: ({ row }) => (
        <ul className="plain-list" title={flakyReasonTexts(row.original, settings).join(" ")}>
          {row.original.flaky_reasons.map((reason) => (
            <li key={reason}>{flakyReasonLabel(reason)}</li>
          ))}
        </ul>
      ),
    }),
    col.display({
      id: "recent",
      header: "Recent results",
      cell: ({ row }) => <OutcomeStrip outcomes={row.original.recent_outcomes} max={settings.flaky_window} />,
    }),
    col.accessor("failure_count", {
      header: "Failures",
      meta: { align: "end" },
      cell: ({ row }) => (
        <>
          {formatCount(row.original.failure_count)}
          <span className="cell-note">of {formatCount(row.original.result_count)}</span>
        </>
      ),
    }),
    col.accessor("last_failed_at", {
      header: "Last failure",
      enableSorting: false,
      cell: ({ getValue }) => <Time value={getValue()} fallback="Never" />,
    }),
    col.accessor("last_result_at", {
      header: "Last result",
      cell: ({ getValue }) => <Time value={getValue()} fallback="Never" />,
    }),
    col.display({
      id: "quarantine",
      header: "Quarantine",
      cell: ({ row }) =>
        row.original.quarantine ? (
          <QuarantineBadge quarantine={row.original.quarantine} />
        ) : (
          <span className="muted">—</span>
        ),
    }),
  ]);
}

/** The project's flaky tests, flakiest first: why each is flaky, its recent results, its quarantine. */
export function FlakyTestsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const tests = useFlakyTests(projectId, search);
  const sources = useSources(projectId);
  const settings = useInsightSettings(projectId).data ?? DEFAULT_SETTINGS;

  const sourceNames = useMemo(
    () => new Map((sources.data ?? []).map((s: AutomationSource) => [s.id, s.name])),
    [sources.data],
  );
  const columns = useMemo(() => flakyColumns(sourceNames, settings), [sourceNames, settings]);
  const sortBy: FlakySort = search.sort ?? "flaky_percent";
  const sort = { sort: sortBy, order: search.order ?? flakyFirstOrder(sortBy) };
  const filtered = search.source !== undefined || search.quarantined !== undefined || search.name !== undefined;

  function update(next: Partial<FlakySearch>, options: { replace?: boolean } = {}) {
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...next }), replace: options.replace });
  }

  return (
    <>
      <PageHeader title="Flaky tests">
        <p className="muted">
          Tests whose outcome changes without a reason: they passed and failed on the same commit, or their outcome
          flipped between consecutive results in at least {settings.flaky_threshold_percent}% of their last{" "}
          {settings.flaky_window} results (with {settings.flaky_min_results} results or more).
        </p>
      </PageHeader>
      <TestFilters values={search} sources={sources.data} onChange={(next, options) => update(next, options)} />
      <QueryState query={tests} loadingLabel="Loading flaky tests…">
        {(page) => (
          <>
            <DataTable
              caption="Flaky tests"
              captionHidden
              columns={columns}
              data={page.result}
              getRowId={getRowId}
              manualSorting
              sorting={toSortingState(sort)}
              onSortingChange={(next) =>
                update(
                  sortParams(nextUrlSort<FlakySort>(sort, next, flakyFirstOrder), "flaky_percent", flakyFirstOrder),
                )
              }
              empty={
                filtered ? (
                  <EmptyState
                    title="No flaky tests match these filters"
                    action={
                      <Button onClick={() => update({ source: undefined, quarantined: undefined, name: undefined })}>
                        Clear the filters
                      </Button>
                    }
                  />
                ) : (
                  <EmptyState title="No flaky tests">
                    <p>
                      None of this project's tests is flaky now. A test becomes flaky when it passes and fails on the
                      same commit, or when its outcome keeps flipping; it shows up here with its reasons.
                    </p>
                  </EmptyState>
                )
              }
            />
            <Pager envelope={page} noun="flaky tests" onPage={(p) => update({ page: p === 1 ? undefined : p })} />
          </>
        )}
      </QueryState>
    </>
  );
}
