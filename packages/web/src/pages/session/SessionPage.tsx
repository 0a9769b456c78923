import "./session.css";
import type { SessionRecording } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useState } from "react";
import { useCan } from "../../api/permissions";
import { useDeclareProject } from "../../app/project-context";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { errorMessage } from "../../ui/ErrorState";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { WorkStateChip } from "../../ui/StatusChip";
import { useCloseSession, useSessionNames, useSessionRecording } from "./hooks";
import { SessionAttachments } from "./SessionAttachments";
import { SessionFindings } from "./SessionFindings";
import { SessionText } from "./SessionText";
import { SessionTimer } from "./SessionTimer";

const routeApi = getRouteApi("/_app/sessions/$sessionId");

/** Recording one exploratory session: charter, timer, notes, findings with a status, files; then close it. */
export function SessionPage() {
  const { sessionId } = routeApi.useParams();
  const recording = useSessionRecording(sessionId);
  return (
    <QueryState query={recording} loadingLabel="Loading the session…">
      {(session) => <SessionView session={session} fetchedAt={recording.dataUpdatedAt} />}
    </QueryState>
  );
}

function SessionView({ session, fetchedAt }: { session: SessionRecording; fetchedAt: number }) {
  useDeclareProject(session.project_id);
  const canRecord = useCan(session.project_id, "results");
  const writable = canRecord && !session.is_closed;
  const names = useSessionNames(session.id);
  const milestone = names.data?.expands.milestones?.find((m) => m.id === session.milestone_id);
  return (
    <>
      <PageHeader title={session.name} actions={writable ? <CloseSession session={session} /> : null}>
        <p className="session__meta">
          <Link to="/projects/$projectId/sessions" params={{ projectId: session.project_id }}>
            All sessions
          </Link>
          {milestone ? (
            <>
              <span aria-hidden="true">·</span>
              <span>
                Milestone:{" "}
                <Link to="/milestones/$milestoneId" params={{ milestoneId: milestone.id }}>
                  {milestone.name}
                </Link>
              </span>
            </>
          ) : null}
          <span aria-hidden="true">·</span>
          <WorkStateChip kind="session" done={session.is_closed} started={session.is_started} />
        </p>
        {!canRecord ? (
          <p className="muted">You can read this session; recording needs the “results” permission in this project.</p>
        ) : session.is_closed ? (
          <p className="muted">This session is closed: it keeps what was recorded and takes no more changes.</p>
        ) : null}
      </PageHeader>
      <div className="session__grid">
        <div className="session__main">
          <SessionText session={session} field="charter" label="Charter" writable={writable} />
          <SessionText session={session} field="notes" label="Notes" writable={writable} />
          <SessionFindings sessionId={session.id} writable={writable} />
        </div>
        <aside className="session__side" aria-label="Timer and progress">
          <SessionTimer session={session} fetchedAt={fetchedAt} writable={writable} />
          <section className="card" aria-labelledby="session-progress">
            <h2 id="session-progress" className="section-title">
              Findings by status
            </h2>
            <CountsBar counts={countsOf(session)} legend />
          </section>
          <SessionAttachments sessionId={session.id} writable={writable} />
        </aside>
      </div>
    </>
  );
}

function CloseSession({ session }: { session: SessionRecording }) {
  const close = useCloseSession(session.id);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Close session
      </Button>
      <ConfirmDialog
        open={open}
        title={`Close the session “${session.name}”?`}
        confirmLabel="Close session"
        danger
        busy={close.isPending}
        onCancel={() => {
          close.reset();
          setOpen(false);
        }}
        onConfirm={() => close.mutate(undefined, { onSuccess: () => setOpen(false) })}
      >
        <p>A running timer stops. The session keeps its notes, findings and files and takes no more changes.</p>
        {close.isError ? (
          <p className="form__error" role="alert">
            {errorMessage(close.error)}
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
