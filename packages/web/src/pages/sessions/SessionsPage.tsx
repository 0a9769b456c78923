import "./sessions.css";
import type { Milestone, Session } from "@assay/api";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ApiError } from "../../api/client";
import { useCan } from "../../api/permissions";
import { Button } from "../../ui/Button";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { Duration } from "../../ui/Duration";
import { EmptyState } from "../../ui/EmptyState";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { PageHeader } from "../../ui/PageHeader";
import { Pager } from "../../ui/Pager";
import { QueryState } from "../../ui/QueryState";
import { SegmentedControl } from "../../ui/SegmentedControl";
import { SelectField } from "../../ui/SelectField";
import { WorkStateChip } from "../../ui/StatusChip";
import { TextAreaField } from "../../ui/TextAreaField";
import { Time } from "../../ui/Time";
import { type SessionState, useCreateSession, useOpenMilestones, useSessions } from "./hooks";

const routeApi = getRouteApi("/_app/projects/$projectId/sessions");

interface SessionRow {
  session: Session;
  milestone: string | null;
}

const col = dataColumns<SessionRow>();
const columns = col.columns([
  col.display({
    id: "session",
    header: "Session",
    enableSorting: false,
    cell: ({ row }) => (
      <Link to="/sessions/$sessionId" params={{ sessionId: row.original.session.id }}>
        {row.original.session.name}
      </Link>
    ),
  }),
  col.display({
    id: "milestone",
    header: "Milestone",
    enableSorting: false,
    cell: ({ row }) =>
      row.original.milestone && row.original.session.milestone_id ? (
        <Link to="/milestones/$milestoneId" params={{ milestoneId: row.original.session.milestone_id }}>
          {row.original.milestone}
        </Link>
      ) : (
        <span className="muted">—</span>
      ),
  }),
  col.display({
    id: "results",
    header: "Results",
    enableSorting: false,
    cell: ({ row }) => <CountsBar counts={countsOf(row.original.session)} />,
  }),
  col.display({
    id: "elapsed",
    header: "Time",
    enableSorting: false,
    cell: ({ row }) => <Duration micros={row.original.session.elapsed} />,
  }),
  col.display({
    id: "state",
    header: "State",
    enableSorting: false,
    cell: ({ row }) => (
      <WorkStateChip kind="session" done={row.original.session.is_closed} started={row.original.session.is_started} />
    ),
  }),
  col.display({
    id: "created",
    header: "Created",
    enableSorting: false,
    cell: ({ row }) => <Time value={row.original.session.created_at} />,
  }),
]);

const STATE_OPTIONS = [
  { value: "open", label: "Open" },
  { value: "closed", label: "Closed" },
  { value: "all", label: "All" },
] as const;

/** A project's exploratory sessions: start one (with the results permission), list them by state. */
export function SessionsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const state = search.state ?? "open";
  const page = search.page ?? 1;
  const navigate = routeApi.useNavigate();
  const sessions = useSessions(projectId, state, page);
  const canRecord = useCan(projectId, "results");
  return (
    <>
      <PageHeader title="Sessions">
        <p>
          Exploratory sessions: a charter to explore, a timer, notes and findings with a status, and files such as
          screenshots.
        </p>
      </PageHeader>
      {canRecord ? <CreateSession projectId={projectId} /> : null}
      <SegmentedControl
        legend="Show"
        options={STATE_OPTIONS}
        value={state}
        onChange={(state: SessionState) => void navigate({ search: { state } })}
      />
      <QueryState query={sessions} loadingLabel="Loading sessions…">
        {(envelope) => {
          const milestones = (envelope.expands?.milestones ?? []) as { id: number; name: string }[];
          const rows = envelope.result.map((session) => ({
            session,
            milestone: milestones.find((m) => m.id === session.milestone_id)?.name ?? null,
          }));
          return (
            <>
              <DataTable
                caption="Sessions"
                captionHidden
                columns={columns}
                data={rows}
                getRowId={(row) => String(row.session.id)}
                empty={
                  <EmptyState title={state === "open" ? "No open sessions" : "No sessions"}>
                    <p>{canRecord ? "Start one above." : "Sessions that testers record show up here."}</p>
                  </EmptyState>
                }
              />
              <Pager
                envelope={envelope}
                noun="sessions"
                onPage={(next) => void navigate({ search: { ...search, page: next } })}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}

function CreateSession({ projectId }: { projectId: number }) {
  const create = useCreateSession(projectId);
  const milestones = useOpenMilestones(projectId);
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [charter, setCharter] = useState("");
  const [milestoneId, setMilestoneId] = useState("");
  const error = create.error instanceof ApiError ? create.error : null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const session = await create
      .mutateAsync({
        name: name.trim(),
        charter: charter.trim() || null,
        milestone_id: milestoneId ? Number(milestoneId) : null,
      })
      .catch(() => null);
    if (session) void navigate({ to: "/sessions/$sessionId", params: { sessionId: session.id } });
  }

  return (
    <form className="form card sessions__create" onSubmit={onSubmit} aria-labelledby="create-session-title">
      <h2 id="create-session-title" className="section-title">
        Start a session
      </h2>
      <div className="form__row">
        <TextField
          label="Name"
          required
          maxLength={750}
          value={name}
          error={error?.field("name")}
          onChange={(event) => setName(event.target.value)}
        />
        <SelectField label="Milestone" value={milestoneId} onChange={(event) => setMilestoneId(event.target.value)}>
          <option value="">None</option>
          {(milestones.data ?? []).map((m: Milestone) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </SelectField>
      </div>
      {error?.field("milestone_id") ? <p className="form__error">{error.field("milestone_id")}</p> : null}
      <TextAreaField
        label="Charter"
        hint="What to explore, with which resources, to find what. Plain text."
        rows={3}
        value={charter}
        error={error?.field("charter")}
        onChange={(event) => setCharter(event.target.value)}
      />
      <div className="form__actions">
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim()}>
          Start session
        </Button>
      </div>
      {create.isError && !error?.field("name") && !error?.field("charter") ? (
        <p className="form__error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
    </form>
  );
}
