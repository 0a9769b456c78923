import type { FailureGroupDetail, FailureGroupRun, FailureGroupTest } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useDeclareProject } from "../../app/project-context";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { ErrorState } from "../../ui/ErrorState";
import { FailureMessage } from "../../ui/FailureMessage";
import { formatCount } from "../../ui/format";
import { Loading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { Time } from "../../ui/Time";
import { useFailureGroup } from "./hooks";
import "../../ui/insights.css";
import "./failure-group.css";

const routeApi = getRouteApi("/_app/failure-groups/$groupId");

const testCol = dataColumns<FailureGroupTest>();
const testColumns = testCol.columns([
  testCol.accessor("name", {
    header: "Test",
    sortFn: "text",
    cell: ({ row }) => (
      <Link to="/automation/cases/$caseId" params={{ caseId: row.original.automation_case_id }} className="test-link">
        {row.original.name}
      </Link>
    ),
  }),
  testCol.accessor("folder", { header: "Folder", sortFn: "text", cell: ({ getValue }) => getValue() || "—" }),
  testCol.accessor("occurrence_count", {
    header: "Failures in this group",
    meta: { align: "end" },
    cell: ({ getValue }) => formatCount(getValue()),
  }),
  testCol.accessor("first_seen_at", {
    header: "First",
    sortFn: "datetime",
    cell: ({ getValue }) => <Time value={getValue()} />,
  }),
  testCol.accessor("last_seen_at", {
    header: "Latest",
    sortFn: "datetime",
    cell: ({ getValue }) => <Time value={getValue()} />,
  }),
]);

const runCol = dataColumns<FailureGroupRun>();
const runColumns = runCol.columns([
  runCol.accessor("name", {
    header: "Run",
    sortFn: "text",
    cell: ({ row }) => (
      <Link
        to="/automation/runs/$runId"
        params={{ runId: row.original.run_id }}
        className="run-link"
        title={row.original.name}
      >
        {row.original.name}
      </Link>
    ),
  }),
  runCol.accessor("occurrence_count", {
    header: "Failures in the run",
    meta: { align: "end" },
    cell: ({ getValue }) => formatCount(getValue()),
  }),
  runCol.accessor("seen_at", {
    header: "Seen",
    sortFn: "datetime",
    cell: ({ getValue }) => <Time value={getValue()} />,
  }),
]);

/** One failure group: its normalised message, a sample, the frames that identify it, its tests and runs. */
export function FailureGroupPage() {
  const { groupId } = routeApi.useParams();
  const group = useFailureGroup(groupId);
  useDeclareProject(group.data?.project_id);
  const title = `Failure group ${groupId}`;
  if (group.isPending) {
    return (
      <>
        <PageHeader title={title} />
        <Loading label="Loading the failure group…" />
      </>
    );
  }
  if (group.isError) {
    return (
      <>
        <PageHeader title={title} />
        <ErrorState error={group.error} retry={() => void group.refetch()} />
      </>
    );
  }
  return <GroupDetail group={group.data} title={title} />;
}

function GroupDetail({ group, title }: { group: FailureGroupDetail; title: string }) {
  return (
    <>
      <PageHeader title={title}>
        <p className="failure-group__type">{group.type ?? "No exception type"}</p>
        <p className="failure-group__message">
          <FailureMessage message={group.message} />
        </p>
      </PageHeader>

      <dl className="figures">
        <div>
          <dt>Failures</dt>
          <dd>{formatCount(group.occurrence_count)}</dd>
        </div>
        <div>
          <dt>Tests</dt>
          <dd>{formatCount(group.test_count)}</dd>
        </div>
        <div>
          <dt>Runs</dt>
          <dd>{formatCount(group.run_count)}</dd>
        </div>
        <div>
          <dt>First seen</dt>
          <dd>
            <Time value={group.first_seen_at} />
            <span className="figures__note">
              in{" "}
              <Link to="/automation/runs/$runId" params={{ runId: group.first_run_id }}>
                run {group.first_run_id}
              </Link>
            </span>
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <Time value={group.last_seen_at} />
            <span className="figures__note">
              in{" "}
              <Link to="/automation/runs/$runId" params={{ runId: group.last_run_id }}>
                run {group.last_run_id}
              </Link>
            </span>
          </dd>
        </div>
      </dl>

      <section aria-labelledby="group-sample">
        <h2 id="group-sample" className="section-title">
          First failure, as it was
        </h2>
        <pre className="code">{group.sample}</pre>
      </section>

      <section aria-labelledby="group-frames">
        <h2 id="group-frames" className="section-title">
          Stack frames that identify it
        </h2>
        {group.frames.length > 0 ? (
          <ol className="failure-group__frames">
            {group.frames.map((frame, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: frames are positional and may repeat
              <li key={index}>
                <code>{frame}</code>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">
            None: the stack had no frames of the tested code (test framework and runtime frames are left out), so the
            type and message alone make the group.
          </p>
        )}
        <p className="muted failure-group__signature">
          Signature <code>{group.signature}</code>
        </p>
      </section>

      <section aria-labelledby="group-tests">
        <h2 id="group-tests" className="section-title">
          Tests with this failure
        </h2>
        <DataTable
          caption="Tests with this failure"
          captionHidden
          columns={testColumns}
          data={group.tests}
          getRowId={(test) => String(test.automation_case_id)}
          initialSorting={[{ id: "occurrence_count", desc: true }]}
          empty={<p className="muted">No test has this failure any more.</p>}
        />
        {group.test_count > group.tests.length ? (
          <p className="muted">
            The {formatCount(group.tests.length)} tests with the most failures of {formatCount(group.test_count)}.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="group-runs">
        <h2 id="group-runs" className="section-title">
          Recent runs with this failure
        </h2>
        <DataTable
          caption="Recent runs with this failure"
          captionHidden
          columns={runColumns}
          data={group.recent_runs}
          getRowId={(run) => String(run.run_id)}
          initialSorting={[{ id: "seen_at", desc: true }]}
          empty={<p className="muted">No run has this failure any more.</p>}
        />
        {group.run_count > group.recent_runs.length ? (
          <p className="muted">
            The newest {formatCount(group.recent_runs.length)} of {formatCount(group.run_count)} runs.
          </p>
        ) : null}
      </section>
    </>
  );
}
