import "../milestones/milestones.css";
import "./milestone.css";
import type { Milestone, MilestoneProgress, MilestoneProgressItem } from "@assay/api";
import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { useCan } from "../../api/permissions";
import { useDeclareProject } from "../../app/project-context";
import { Button } from "../../ui/Button";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { errorMessage } from "../../ui/ErrorState";
import { formatCount } from "../../ui/format";
import { plural } from "../../ui/insights";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { AutomationStatusChip, StatusChip, WorkStateChip } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";
import { milestoneProgressQuery, useSaveMilestone } from "../milestones/hooks";
import { MilestoneDialog } from "../milestones/MilestoneDialog";
import { datesLabel } from "../milestones/MilestonesPage";
import { useMilestone, useMilestoneProgress } from "./hooks";

const routeApi = getRouteApi("/_app/milestones/$milestoneId");

/** A milestone and its progress across manual runs, sessions and automation runs, each linked to its page. */
export function MilestonePage() {
  const { milestoneId } = routeApi.useParams();
  const milestone = useMilestone(milestoneId);
  return (
    <QueryState query={milestone} loadingLabel="Loading the milestone…">
      {(data) => <MilestoneView milestone={data} />}
    </QueryState>
  );
}

function MilestoneView({ milestone }: { milestone: Milestone }) {
  useDeclareProject(milestone.project_id);
  const progress = useMilestoneProgress(milestone.id);
  const canManage = useCan(milestone.project_id, "manage_runs");
  const [editing, setEditing] = useState(false);
  return (
    <>
      <PageHeader
        title={milestone.name}
        actions={
          canManage ? (
            <>
              <Button onClick={() => setEditing(true)}>Edit milestone</Button>
              <CompleteButton milestone={milestone} />
            </>
          ) : null
        }
      >
        <p className="milestone__meta">
          <Link to="/projects/$projectId/milestones" params={{ projectId: milestone.project_id }}>
            All milestones
          </Link>
          <span aria-hidden="true">·</span>
          <WorkStateChip kind="milestone" done={milestone.is_completed} started={milestone.is_started} />
          <span aria-hidden="true">·</span>
          <span>{datesLabel(milestone)}</span>
        </p>
        {milestone.note ? <p className="milestone__note">{milestone.note}</p> : null}
        {milestone.automation_tags.length ? (
          <p className="milestone__meta">
            Automation tags:{" "}
            <span className="milestones__tags">
              {milestone.automation_tags.map((tag) => (
                <span key={tag} className="milestones__tag">
                  {tag}
                </span>
              ))}
            </span>
          </p>
        ) : null}
      </PageHeader>
      <QueryState query={progress} loadingLabel="Loading progress…">
        {(data) => <ProgressView progress={data} />}
      </QueryState>
      {editing ? (
        <MilestoneDialog projectId={milestone.project_id} milestone={milestone} onClose={() => setEditing(false)} />
      ) : null}
    </>
  );
}

function CompleteButton({ milestone }: { milestone: Milestone }) {
  const save = useSaveMilestone(milestone.project_id, milestone.id);
  const queryClient = useQueryClient();
  return (
    <>
      <Button
        variant={milestone.is_completed ? "secondary" : "primary"}
        busy={save.isPending}
        onClick={() =>
          save.mutate(
            { is_completed: !milestone.is_completed },
            {
              onSuccess: () =>
                queryClient.invalidateQueries({ queryKey: milestoneProgressQuery(milestone.id).queryKey }),
            },
          )
        }
      >
        {milestone.is_completed ? "Reopen milestone" : "Complete milestone"}
      </Button>
      {save.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(save.error)}
        </p>
      ) : null}
    </>
  );
}

function ProgressView({ progress }: { progress: MilestoneProgress }) {
  return (
    <>
      <section className="card milestone__totals" aria-labelledby="milestone-totals">
        <h2 id="milestone-totals" className="section-title">
          Progress
        </h2>
        <CountsBar counts={countsOf(progress.totals)} legend />
        <p className="muted">
          {plural(progress.totals.total_count ?? 0, "result")} in {plural(progress.manual_runs.total, "manual run")},{" "}
          {plural(progress.sessions.total, "session")} and {plural(progress.automation_runs.total, "automation run")}.
        </p>
      </section>
      <ProgressGroup
        title="Automation runs"
        group={progress.automation_runs}
        empty="No automation runs yet: runs submitted with one of the milestone's automation tags appear here."
        link={(item) => (
          <Link to="/automation/runs/$runId" params={{ runId: item.id }}>
            {item.name}
          </Link>
        )}
      />
      <ProgressGroup
        title="Sessions"
        group={progress.sessions}
        empty="No sessions linked to this milestone."
        link={(item) => (
          <Link to="/sessions/$sessionId" params={{ sessionId: item.id }}>
            {item.name}
          </Link>
        )}
      />
      <ProgressGroup
        title="Manual runs"
        group={progress.manual_runs}
        empty="No manual runs linked to this milestone."
        link={(item) => <a href={manualRunHref(item.id)}>{item.name}</a>}
      />
    </>
  );
}

/** The manual run page (pages/manual-run); a plain link keeps this page independent of that page's code. */
function manualRunHref(runId: number): string {
  return `/manual-runs/${runId}`;
}

function ProgressGroup({
  title,
  group,
  empty,
  link,
}: {
  title: string;
  group: MilestoneProgress["sessions"];
  empty: string;
  link: (item: MilestoneProgressItem) => ReactNode;
}) {
  const headingId = `milestone-${title.toLowerCase().replace(/\s+/g, "-")}`;
  return (
    <section className="card milestone__group" aria-labelledby={headingId}>
      <h2 id={headingId} className="section-title">
        {title}{" "}
        <span className="muted">
          {formatCount(group.done)} of {formatCount(group.total)} done
        </span>
      </h2>
      {group.items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table className="table milestone__table">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Results</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {group.items.map((item) => (
              <tr key={item.id}>
                <td>{link(item)}</td>
                <td>
                  <CountsBar counts={countsOf(item)} />
                </td>
                <td>
                  {item.status !== null ? (
                    <AutomationStatusChip status={item.is_done ? item.status : 4} />
                  ) : item.is_done ? (
                    <StatusChip tone="neutral">Closed</StatusChip>
                  ) : (
                    <StatusChip tone="running">Open</StatusChip>
                  )}
                </td>
                <td>
                  <Time value={item.created_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {group.total > group.items.length ? (
        <p className="muted">
          Showing the newest {formatCount(group.items.length)} of {formatCount(group.total)}.
        </p>
      ) : null}
    </section>
  );
}
