import type { SessionRecording } from "@assay/api";
import { useEffect, useState } from "react";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { formatClock, useUpdateSession } from "./hooks";

/**
 * The session's timer. The server keeps it (start time while running, elapsed when paused), so it runs on
 * across reloads and devices; the face adds the time since the server's answer, once a second.
 */
export function SessionTimer({
  session,
  fetchedAt,
  writable,
}: {
  session: SessionRecording;
  fetchedAt: number;
  writable: boolean;
}) {
  const running = session.timer_started_at !== null;
  const [now, setNow] = useState(() => Date.now());
  const update = useUpdateSession(session.id);
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  const elapsed = session.elapsed_now + (running ? Math.max(0, now - fetchedAt) * 1000 : 0);
  return (
    <section className="card session__timer" aria-labelledby="session-timer">
      <h2 id="session-timer" className="section-title">
        Timer
      </h2>
      <p className="session__clock" aria-live="off">
        <span className="sr-only">{running ? "Running: " : "Paused: "}</span>
        {formatClock(elapsed)}
      </p>
      {writable ? (
        <Button
          variant={running ? "secondary" : "primary"}
          busy={update.isPending}
          onClick={() => update.mutate({ timer: running ? "pause" : "start" })}
        >
          {running ? "Pause timer" : session.elapsed > 0 ? "Resume timer" : "Start timer"}
        </Button>
      ) : null}
      {update.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
    </section>
  );
}
