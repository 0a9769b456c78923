import type { ReactNode } from "react";

/**
 * The colour families of statuses; each chip also says its status in words (never colour alone).
 * `pending` (not started yet) is outlined with a hollow mark, so it never reads as `running` (under way).
 */
export type StatusTone = "passed" | "failed" | "skipped" | "running" | "pending" | "warning" | "neutral";

export function StatusChip({ tone, children, title }: { tone: StatusTone; children: ReactNode; title?: string }) {
  return (
    <span className={`chip chip--${tone}`} title={title}>
      <span className="chip__mark" aria-hidden="true" />
      {children}
    </span>
  );
}

/** The default result statuses (ids 1–6 as in Testmo); custom statuses fall back to their name. */
export const RESULT_STATUSES: Readonly<Record<number, { label: string; tone: StatusTone }>> = {
  1: { label: "Untested", tone: "neutral" },
  2: { label: "Passed", tone: "passed" },
  3: { label: "Failed", tone: "failed" },
  4: { label: "Retest", tone: "warning" },
  5: { label: "Blocked", tone: "warning" },
  6: { label: "Skipped", tone: "skipped" },
};

/** A test result's status by id (name and flags override the defaults for custom statuses). */
export function ResultStatusChip({
  statusId,
  name,
  isPassed,
  isFailed,
}: {
  statusId: number;
  name?: string;
  isPassed?: boolean;
  isFailed?: boolean;
}) {
  const known = RESULT_STATUSES[statusId];
  const tone: StatusTone = isPassed ? "passed" : isFailed ? "failed" : (known?.tone ?? "neutral");
  return <StatusChip tone={tone}>{name ?? known?.label ?? `Status ${statusId}`}</StatusChip>;
}

/** Automation runs and threads: 2 success, 3 failure, 4 running. */
const AUTOMATION_STATUSES: Readonly<Record<number, { label: string; tone: StatusTone }>> = {
  1: { label: "No result", tone: "neutral" },
  2: { label: "Success", tone: "passed" },
  3: { label: "Failure", tone: "failed" },
  4: { label: "Running", tone: "running" },
};

export function AutomationStatusChip({ status }: { status: number }) {
  const known = AUTOMATION_STATUSES[status] ?? { label: `Status ${status}`, tone: "neutral" as const };
  return <StatusChip tone={known.tone}>{known.label}</StatusChip>;
}

/** The words each kind of planned work uses for being done and being under way. */
const WORK_STATE_LABELS = {
  "manual run": { done: "Closed", doneTone: "neutral", started: "In progress" },
  session: { done: "Closed", doneTone: "neutral", started: "Open" },
  milestone: { done: "Completed", doneTone: "passed", started: "Active" },
} as const satisfies Record<string, { done: string; doneTone: StatusTone; started: string }>;

/**
 * Where a manual run, session or milestone stands: done, under way, or not started yet. Its list and its own
 * page use this one chip, so both say the same.
 */
export function WorkStateChip({
  kind,
  done,
  started,
}: {
  kind: keyof typeof WORK_STATE_LABELS;
  done: boolean;
  started: boolean;
}) {
  const labels = WORK_STATE_LABELS[kind];
  if (done) return <StatusChip tone={labels.doneTone}>{labels.done}</StatusChip>;
  if (started) return <StatusChip tone="running">{labels.started}</StatusChip>;
  return <StatusChip tone="pending">Not started</StatusChip>;
}
