import type { InsightCase } from "@assay/api";
import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { Button } from "../../ui/Button";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { Duration } from "../../ui/Duration";
import { EmptyState } from "../../ui/EmptyState";
import { formatCount } from "../../ui/format";
import { formatChange } from "../../ui/insights";
import { PageHeader } from "../../ui/PageHeader";
import { Pager } from "../../ui/Pager";
import { QuarantineBadge } from "../../ui/QuarantineBadge";
import { QueryState } from "../../ui/QueryState";
import { SegmentedControl } from "../../ui/SegmentedControl";
import { FolderAndSource, TestLink } from "../../ui/TestCells";
import { TestFilters } from "../../ui/TestFilters";
import { Time } from "../../ui/Time";
import { nextUrlSort, sortParams, toSortingState } from "../../ui/url-sort";
import { useSlowestTests, useSources } from "./hooks";
import { type SlowestSearch, type SlowestSort, slowestFirstOrder } from "./search";

const routeApi = getRouteApi("/_app/projects/$projectId/slowest");

const RANKINGS: readonly { value: SlowestSort; label: string; title: string }[] = [
  { value: "elapsed_average", label: "Average duration", title: "Mean duration of every timed result" },
  { value: "elapsed_p95", label: "p95 of the last 30", title: "95th percentile of the last 30 timed results" },
  {
    value: "elapsed_change_percent",
    label: "Getting slower",
    title: "Median of the last 5 timed results against the median of the 25 before them",
  },
];

const col = dataColumns<InsightCase>();
const getRowId = (test: InsightCase) => String(test.id);

function slowestColumns(sources: Map<number, string>) {
  return col.columns([
    col.accessor("name", {
      header: "Test",
      cell: ({ row }) => (
        <>
          <TestLink test={row.original} /> <QuarantineBadge quarantine={row.original.quarantine} />
        </>
      ),
    }),
    col.accessor("folder", {
      header: "Folder",
      enableSorting: false,
      cell: ({ row }) => <FolderAndSource test={row.original} sources={sources} />,
    }),
    col.accessor("elapsed_average", {
      header: "Average",
      meta: { align: "end" },
      cell: ({ getValue }) => <Duration micros={getValue()} />,
    }),
    col.accessor("elapsed_p95", {
      header: "p95 (last 30)",
      meta: { align: "end" },
      cell: ({ getValue }) => <Duration micros={getValue()} />,
    }),
    col.accessor("elapsed_change_percent", {
      header: "Change",
      meta: { align: "end" },
      cell: ({ getValue }) => {
        const value = getValue();
        return (
          <span
            title={
              value === null
                ? "Fewer than 10 timed results"
                : "Median of the last 5 timed results against the median of the 25 before them"
            }
          >
            {formatChange(value)}
          </span>
        );
      },
    }),
    col.accessor("result_count", {
      header: "Results",
      enableSorting: false,
      meta: { align: "end" },
      cell: ({ getValue }) => formatCount(getValue()),
    }),
    col.accessor("last_result_at", {
      header: "Last result",
      enableSorting: false,
      cell: ({ getValue }) => <Time value={getValue()} fallback="Never" />,
    }),
  ]);
}

/** The project's slowest tests, by mean duration, recent p95, or growth of their recent duration. */
export function SlowestTestsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const tests = useSlowestTests(projectId, search);
  const sources = useSources(projectId);
  const sourceNames = useMemo(() => new Map((sources.data ?? []).map((s) => [s.id, s.name])), [sources.data]);
  const columns = useMemo(() => slowestColumns(sourceNames), [sourceNames]);
  const sortBy: SlowestSort = search.sort ?? "elapsed_average";
  const sort = { sort: sortBy, order: search.order ?? slowestFirstOrder(sortBy) };
  const filtered = search.source !== undefined || search.quarantined !== undefined || search.name !== undefined;

  function update(next: Partial<SlowestSearch>, options: { replace?: boolean } = {}) {
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...next }), replace: options.replace });
  }

  return (
    <>
      <PageHeader title="Slowest tests">
        <p className="muted">
          Durations of each test's results: the mean of all of them, the 95th percentile of the last 30, and how much
          the median of the last 5 grew against the 25 before them.
        </p>
      </PageHeader>
      <SegmentedControl
        legend="Rank by"
        options={RANKINGS}
        value={sortBy === "name" ? "elapsed_average" : sortBy}
        onChange={(value) => update({ sort: value === "elapsed_average" ? undefined : value, order: undefined })}
      />
      <TestFilters values={search} sources={sources.data} onChange={(next, options) => update(next, options)} />
      <QueryState query={tests} loadingLabel="Loading tests…">
        {(page) => (
          <>
            <DataTable
              caption="Slowest tests"
              captionHidden
              columns={columns}
              data={page.result}
              getRowId={getRowId}
              manualSorting
              sorting={toSortingState(sort)}
              onSortingChange={(next) => {
                const chosen = nextUrlSort<SlowestSort>(sort, next, slowestFirstOrder);
                update(sortParams(chosen, "elapsed_average", slowestFirstOrder));
              }}
              empty={
                filtered ? (
                  <EmptyState
                    title="No tests match these filters"
                    action={
                      <Button onClick={() => update({ source: undefined, quarantined: undefined, name: undefined })}>
                        Clear the filters
                      </Button>
                    }
                  />
                ) : (
                  <EmptyState title="No tests yet">
                    <p>Tests appear here once automation runs with timed results are uploaded to this project.</p>
                  </EmptyState>
                )
              }
            />
            <Pager envelope={page} noun="tests" onPage={(p) => update({ page: p === 1 ? undefined : p })} />
          </>
        )}
      </QueryState>
    </>
  );
}
