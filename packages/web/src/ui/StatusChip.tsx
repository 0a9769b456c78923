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
