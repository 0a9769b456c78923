import "./manual-run.css";
import type { ManualRunTest } from "@assay/api";
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { useProjectPermission } from "../../api/permissions";
import { sessionQuery } from "../../api/session";
import { useDeclareProject } from "../../app/project-context";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CountsBar, countsOf } from "../../ui/CountsBar";
import { Duration } from "../../ui/Duration";
import { ErrorState, errorMessage } from "../../ui/ErrorState";
import { Loading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { WorkStateChip } from "../../ui/StatusChip";
import { UnsavedChangesGuard } from "../../ui/UnsavedChangesGuard";
import { useProjectUsers } from "../manual-runs/hooks";
import { progressLabel, progressOf } from "../manual-runs/progress";
import { EditRunForm } from "./EditRunForm";
import { type ManualRunData, useAddResult, useCloseRun, useManualRun, useRunTests } from "./hooks";
import { EMPTY_DRAFT, type ResultDraft, ResultForm } from "./ResultForm";
import type { ManualRunSearch } from "./search";
import { STATUS_KEYS, useRunShortcuts } from "./shortcuts";
import { TestList } from "./TestList";
import { TestPanel } from "./TestPanel";
import { useStopwatch } from "./useStopwatch";

const routeApi = getRouteApi("/_app/manual-runs/$runId");

/** The current test: the one in the URL, else the caller's first untested test, else the first. */
function currentTestOf(tests: readonly ManualRunTest[], wanted: number | undefined, userId: number | undefined) {
  return (
    tests.find((t) => t.id === wanted) ??
    tests.find((t) => t.status_id === 1 && t.assignee_id === userId) ??
    tests.find((t) => t.status_id === 1) ??
    tests[0] ??
    null
  );
}

/** A manual run executed keyboard-first: the test list on the left, the current test and its result on the right. */
export function ManualRunPage() {
  const { runId } = routeApi.useParams();
  const run = useManualRun(runId);
  const tests = useRunTests(runId);
  useDeclareProject(run.data?.run.project_id);

  if (run.isPending || tests.isPending) return <Loading label="Loading the run…" />;
  const failed = run.isError ? run.error : tests.isError ? tests.error : null;
  if (failed && (!run.data || !tests.data)) {
    return (
      <>
        <PageHeader title={`Manual run ${runId}`} />
        <ErrorState error={failed} retry={() => void Promise.all([run.refetch(), tests.refetch()])} />
      </>
    );
  }
  return <Execute data={run.data!} tests={tests.data!} />;
}

function Execute({ data, tests }: { data: ManualRunData; tests: ManualRunTest[] }) {
  const { run } = data;
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const session = useQuery(sessionQuery);
  const userId = session.data?.user.id;
  const users = useProjectUsers(run.project_id);
  const userNames = useMemo(() => new Map(users.data?.map((u) => [u.id, u.name]) ?? []), [users.data]);
  const mayRecord = useProjectPermission(run.project_id, "results");
  const canRecord = mayRecord === true && !run.is_closed;
  const canManage = useProjectPermission(run.project_id, "manage_runs") === true;
  const shown = useMemo(
    () => (search.mine ? tests.filter((t) => t.assignee_id === userId) : tests),
    [tests, search.mine, userId],
  );
  const current = currentTestOf(shown, search.test, userId);
  const index = current ? shown.indexOf(current) : -1;
  const [draft, setDraft] = useState<ResultDraft>(EMPTY_DRAFT);
  // a new form (an empty file input) for each test and after each saved result
  const [formKey, setFormKey] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const [editing, setEditing] = useState(false);
  const stopwatch = useStopwatch(current?.id);
  const comment = useRef<HTMLTextAreaElement>(null);
  const addResult = useAddResult(run.id);

  // another test (by key, click or link): a fresh form, and no error of the previous test's save
  const resetForm = addResult.reset;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the current test is the trigger
  useEffect(() => {
    setDraft(EMPTY_DRAFT);
    setFormKey((k) => k + 1);
    resetForm();
  }, [current?.id, resetForm]);

  const goTo = (test: ManualRunTest | undefined) => {
    if (!test) return;
    void navigate({ search: (previous: ManualRunSearch) => ({ ...previous, test: test.id }), replace: true });
  };

  function record(statusId: number) {
    if (!current || addResult.isPending) return;
    const test = current;
    const label = STATUS_KEYS.find((s) => s.statusId === statusId)?.label ?? `Status ${statusId}`;
    addResult.mutate(
      {
        test_id: test.id,
        status_id: statusId,
        note: draft.note.trim() ? draft.note : null,
        elapsed: Math.round(stopwatch.elapsedMs()) * 1000,
        issues: draft.issues,
        file: draft.file,
      },
      {
        onSuccess: ({ uploadError }) => {
          setSaved(
            uploadError
              ? `${label} saved for “${test.name}”, but the file was not attached: ${uploadError.message}`
              : `${label} saved for “${test.name}”.`,
          );
          setDraft(EMPTY_DRAFT);
          setFormKey((k) => k + 1);
          const next = shown[shown.indexOf(test) + 1];
          if (next) goTo(next);
          else stopwatch.reset();
        },
      },
    );
  }

  useRunShortcuts({
    next: () => goTo(shown[index + 1]),
    previous: () => goTo(shown[index - 1]),
    status: canRecord && current ? record : null,
    comment: () => comment.current?.focus(),
    timer: stopwatch.toggle,
  });

  const fieldError = (name: string) => (addResult.error instanceof ApiError ? addResult.error.field(name) : undefined);

  return (
    <>
      <RunHeader
        data={data}
        canManage={canManage && !run.is_closed}
        onClose={() => setClosing(true)}
        onEdit={() => setEditing(true)}
      />
      {editing && canManage && !run.is_closed ? <EditRunForm data={data} onDone={() => setEditing(false)} /> : null}
      <div className="manual-run__toolbar">
        <label>
          <input
            type="checkbox"
            checked={search.mine === 1}
            onChange={(event) =>
              void navigate({
                search: (previous: ManualRunSearch) => ({
                  ...previous,
                  mine: event.target.checked ? (1 as const) : undefined,
                }),
                replace: true,
              })
            }
          />{" "}
          Only my tests
        </label>
        <p className="muted manual-run__keys">
          Keys: <kbd>j</kbd>/<kbd>↓</kbd> next, <kbd>k</kbd>/<kbd>↑</kbd> previous
          {canRecord ? (
            <>
              , <kbd>p</kbd> passed, <kbd>f</kbd> failed, <kbd>b</kbd> blocked, <kbd>r</kbd> retest, <kbd>s</kbd>{" "}
              skipped, <kbd>c</kbd> comment, <kbd>t</kbd> timer
            </>
          ) : null}
        </p>
      </div>
      <p className="manual-run__saved" role="status">
        {saved ?? ""}
      </p>
      <div className="manual-run__layout">
        {shown.length === 0 ? (
          <p className="muted">
            {search.mine ? "No tests of this run are assigned to you." : "This run has no tests."}
          </p>
        ) : (
          <TestList runId={run.id} tests={shown} currentId={current?.id ?? null} userNames={userNames} />
        )}
        {current ? (
          <div className="manual-run__main">
            <TestPanel
              test={current}
              projectId={run.project_id}
              position={index + 1}
              count={shown.length}
              userNames={userNames}
              canAssign={canManage && !run.is_closed}
            />
            {canRecord ? (
              <>
                {/* moving to another test keeps the page (its ?test= changes): only leaving it asks */}
                <UnsavedChangesGuard
                  when={hasUnsavedResult(draft)}
                  what="this test's comment, issues or file"
                  leavingOnly
                />
                <ResultForm
                  key={formKey}
                  draft={draft}
                  onDraft={setDraft}
                  onStatus={record}
                  busy={addResult.isPending}
                  commentRef={comment}
                  elapsedMs={stopwatch.elapsedMs()}
                  timerRunning={stopwatch.running}
                  onTimer={stopwatch.toggle}
                  noteError={fieldError("note")}
                  issuesError={fieldError("issues") ?? issueItemErrors(addResult.error)}
                />
                {addResult.isError ? (
                  <p className="form__error" role="alert">
                    The result was not saved: {errorMessage(addResult.error)} Your comment and issues are kept.
                  </p>
                ) : null}
              </>
            ) : mayRecord === undefined && !run.is_closed ? null : (
              <p className="card muted" role="note">
                {run.is_closed
                  ? "This run is closed: its results are final and can no longer be changed."
                  : "You can view this run but not record results: your role in this project lacks the “results” permission. Ask a project manager."}
              </p>
            )}
          </div>
        ) : null}
      </div>
      <CloseRunDialog runId={run.id} name={run.name} open={closing} onDone={() => setClosing(false)} />
    </>
  );
}

function hasUnsavedResult(draft: ResultDraft): boolean {
  return draft.note.trim() !== "" || draft.issues.length > 0 || draft.file !== null;
}

function issueItemErrors(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const messages = Object.entries(error.fieldErrors)
    .filter(([key]) => key.startsWith("issues."))
    .flatMap(([, list]) => list);
  return messages.length > 0 ? messages.join(" ") : undefined;
}

function RunHeader({
  data,
  canManage,
  onClose,
  onEdit,
}: {
  data: ManualRunData;
  canManage: boolean;
  onClose: () => void;
  onEdit: () => void;
}) {
  const { run } = data;
  const progress = progressOf(run);
  return (
    <PageHeader
      title={run.name}
      documentTitle={`${run.name} (manual run ${run.id})`}
      actions={
        canManage ? (
          <>
            <Button onClick={onEdit}>Edit run</Button>
            <Button variant="danger" onClick={onClose}>
              Close run
            </Button>
          </>
        ) : null
      }
    >
      <div className="manual-run__summary">
        <WorkStateChip kind="manual run" done={run.is_closed} started={run.is_started} />
        <Link to="/projects/$projectId/manual-runs" params={{ projectId: run.project_id }}>
          All manual runs
        </Link>
        {data.milestone && run.milestone_id ? (
          <span>
            Milestone:{" "}
            <Link to="/milestones/$milestoneId" params={{ milestoneId: run.milestone_id }}>
              {data.milestone}
            </Link>
          </span>
        ) : null}
        {data.config ? <span>Configuration: {data.config}</span> : null}
      </div>
      <div className="manual-run__progress">
        <CountsBar counts={countsOf(run)} legend />
        <span className="manual-run__progress-text">{progressLabel(progress)}</span>
        <span>
          Forecast:{" "}
          {progress.remaining === null ? (
            <span className="muted">no estimates</span>
          ) : progress.remaining === 0 ? (
            "nothing left"
          ) : (
            <>
              <Duration micros={progress.remaining} /> to go
            </>
          )}
          {" · "}Time spent: {run.elapsed > 0 ? <Duration micros={run.elapsed} /> : "none yet"}
        </span>
      </div>
    </PageHeader>
  );
}

function CloseRunDialog({
  runId,
  name,
  open,
  onDone,
}: {
  runId: number;
  name: string;
  open: boolean;
  onDone: () => void;
}) {
  const close = useCloseRun(runId);
  return (
    <ConfirmDialog
      open={open}
      title={`Close the run “${name}”?`}
      confirmLabel="Close run"
      danger
      busy={close.isPending}
      onCancel={() => {
        close.reset();
        onDone();
      }}
      onConfirm={() => close.mutate(undefined, { onSuccess: onDone })}
    >
      <p>Its results become final: nobody can add results or change the run afterwards.</p>
      {close.isError ? (
        <p className="form__error" role="alert">
          {errorMessage(close.error)}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
