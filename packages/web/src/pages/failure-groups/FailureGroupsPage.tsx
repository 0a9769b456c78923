import type { FailureGroup } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import type { FailureGroupSort } from "../../api/insights";
import { Button } from "../../ui/Button";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { FailureGroupLink } from "../../ui/FailureGroupLink";
import { formatCount } from "../../ui/format";
import { PageHeader } from "../../ui/PageHeader";
import { Pager } from "../../ui/Pager";
import { QueryState } from "../../ui/QueryState";
import { SegmentedControl } from "../../ui/SegmentedControl";
import { Time } from "../../ui/Time";
import { nextUrlSort, sortParams, toSortingState } from "../../ui/url-sort";
import { useFailureGroups } from "./hooks";
import { type FailureGroupsSearch, failureGroupFirstOrder, type Since } from "./search";

const routeApi = getRouteApi("/_app/projects/$projectId/failure-groups");

const SINCE_CHOICES: readonly { value: Since | "any"; label: string }[] = [
  { value: "any", label: "Any time" },
  { value: "24h", label: "24 hours" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
  { value: "90d", label: "90 days" },
];

const col = dataColumns<FailureGroup>();
const getRowId = (group: FailureGroup) => String(group.id);

/** A time with the run it happened in. */
function SeenIn({ at, runId }: { at: string; runId: number }) {
  return (
    <>
      <Time value={at} />
      <span className="cell-note">
        in{" "}
        <Link to="/automation/runs/$runId" params={{ runId }}>
          run {runId}
        </Link>
      </span>
    </>
  );
}

const columns = col.columns([
  col.display({
    id: "failure",
    header: "Failure",
    cell: ({ row }) => <FailureGroupLink group={row.original} />,
  }),
  col.accessor("occurrence_count", {
    header: "Failures",
    meta: { align: "end" },
    cell: ({ getValue }) => formatCount(getValue()),
  }),
  col.accessor("test_count", {
    header: "Tests",
    meta: { align: "end" },
    cell: ({ getValue }) => formatCount(getValue()),
  }),
  col.accessor("run_count", {
    header: "Runs",
    meta: { align: "end" },
    cell: ({ getValue }) => formatCount(getValue()),
  }),
  col.accessor("first_seen_at", {
    header: "First seen",
    cell: ({ row }) => <SeenIn at={row.original.first_seen_at} runId={row.original.first_run_id} />,
  }),
  col.accessor("last_seen_at", {
    header: "Last seen",
    cell: ({ row }) => <SeenIn at={row.original.last_seen_at} runId={row.original.last_run_id} />,
  }),
]);

/** The project's failure groups: failures that share a cause, with how often and where they were seen. */
export function FailureGroupsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const groups = useFailureGroups(projectId, search);
  const sortBy: FailureGroupSort = search.sort ?? "last_seen_at";
  const sort = { sort: sortBy, order: search.order ?? failureGroupFirstOrder(sortBy) };

  function update(next: Partial<FailureGroupsSearch>) {
    void navigate({ search: (prev) => ({ ...prev, page: undefined, ...next }) });
  }

  return (
    <>
      <PageHeader title="Failure groups">
        <p className="muted">
          Failures with the same exception type, message and first stack frames of your code are one group, whatever the
          numbers, names and paths in the message (shown as placeholders such as <code>&lt;num&gt;</code>).
        </p>
      </PageHeader>
      <SegmentedControl
        legend="Last seen within"
        options={SINCE_CHOICES}
        value={search.since ?? "any"}
        onChange={(value) => update({ since: value === "any" ? undefined : value })}
      />
      <QueryState query={groups} loadingLabel="Loading failure groups…">
        {(page) => (
          <>
            <DataTable
              caption="Failure groups"
              captionHidden
              columns={columns}
              data={page.result}
              getRowId={getRowId}
              manualSorting
              sorting={toSortingState(sort)}
              onSortingChange={(next) =>
                update(
                  sortParams(
                    nextUrlSort<FailureGroupSort>(sort, next, failureGroupFirstOrder),
                    "last_seen_at",
                    failureGroupFirstOrder,
                  ),
                )
              }
              empty={
                search.since ? (
                  <EmptyState
                    title="No failure groups seen in that time"
                    action={<Button onClick={() => update({ since: undefined })}>Show all failure groups</Button>}
                  />
                ) : (
                  <EmptyState title="No failure groups yet">
                    <p>
                      A failed test joins a group when its result carries a failure message (the &lt;failure&gt; or
                      &lt;error&gt; element of a JUnit report, as the assay CLI and Testmo's CLI send it).
                    </p>
                  </EmptyState>
                )
              }
            />
            <Pager envelope={page} noun="failure groups" onPage={(p) => update({ page: p === 1 ? undefined : p })} />
          </>
        )}
      </QueryState>
    </>
  );
}
