import type { AutomationRun, ComparedTest, RunComparison } from "@assay/api";
import { Link } from "@tanstack/react-router";
import { useId, useState } from "react";
import { Button } from "../../ui/Button";
import { Duration } from "../../ui/Duration";
import { errorMessage } from "../../ui/ErrorState";
import { formatCount } from "../../ui/format";
import { Loading } from "../../ui/Loading";
import { ResultStatusChip, StatusChip } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";

/**
 * The run against its baseline, first on the run page: which run it is compared with and why, the counts,
 * and the tests behind them — new failures, fixed, still failing, slower (old → new duration) — with
 * quarantine marks. The baseline can be any run of the project (held in the URL: `?baseline=`).
 */

const RULES: Record<RunComparison["baseline_rule"], string> = {
  requested: "the run you chose",
  same_branch_and_config: "the previous completed run of the same source, branch and configuration",
  same_source: "the previous completed run of the same source",
  none: "none",
};

type ListedCategory = "new_failures" | "fixed" | "still_failing" | "slower";

const LISTS: readonly { category: ListedCategory; title: string; empty: string }[] = [
  { category: "new_failures", title: "New failures", empty: "No new failures." },
  { category: "fixed", title: "Fixed", empty: "Nothing fixed." },
  { category: "still_failing", title: "Still failing", empty: "Nothing still failing." },
  { category: "slower", title: "Slower", empty: "Nothing markedly slower." },
];

/** Tests shown per list before "Show all". */
const SHOWN = 5;

export interface ComparisonProps {
  comparison: RunComparison | undefined;
  isPending: boolean;
  error: unknown;
  retry: () => void;
  /** runs of the project for the picker (newest first) */
  runs: readonly AutomationRun[] | undefined;
  runId: number;
  baselineId: number | undefined;
  onBaselineChange: (baselineId: number | undefined) => void;
}

export function Comparison(props: ComparisonProps) {
  const { comparison, isPending, error } = props;
  return (
    <section className="comparison" aria-labelledby="comparison-title">
      <div className="comparison__head">
        <h2 id="comparison-title" className="section-title comparison__title">
          Compared with the baseline
        </h2>
        <BaselinePicker {...props} />
      </div>
      {error ? (
        <div className="error-state" role="alert">
          <p>{errorMessage(error)}</p>
          {props.baselineId !== undefined ? (
            <Button onClick={() => props.onBaselineChange(undefined)}>Use the automatic baseline</Button>
          ) : (
            <Button onClick={props.retry}>Try again</Button>
          )}
        </div>
      ) : isPending || !comparison ? (
        <Loading label="Comparing with the baseline…" />
      ) : (
        <ComparisonBody comparison={comparison} />
      )}
    </section>
  );
}

function BaselinePicker({ runs, runId, baselineId, onBaselineChange, comparison }: ComparisonProps) {
  const id = useId();
  const options = (runs ?? []).filter((run) => run.id !== runId);
  const listed = baselineId === undefined || options.some((run) => run.id === baselineId);
  return (
    <div className="comparison__picker">
      <label htmlFor={id}>Baseline</label>
      <select
        id={id}
        className="field__input"
        value={baselineId === undefined ? "" : String(baselineId)}
        onChange={(event) => onBaselineChange(event.target.value ? Number(event.target.value) : undefined)}
      >
        <option value="">
          Automatic
          {baselineId === undefined && comparison?.baseline
            ? ` (#${comparison.baseline.id} ${comparison.baseline.name})`
            : ""}
        </option>
        {!listed ? <option value={String(baselineId)}>Run #{baselineId}</option> : null}
        {options.map((run) => (
          <option key={run.id} value={String(run.id)}>
            #{run.id} {run.name}
            {run.is_completed ? "" : " (running)"}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ComparisonBody({ comparison }: { comparison: RunComparison }) {
  const { baseline, baseline_rule: rule, counts, failures } = comparison;
  return (
    <>
      {baseline ? (
        <p className="comparison__baseline">
          Baseline:{" "}
          <Link to="/automation/runs/$runId" params={{ runId: baseline.id }}>
            #{baseline.id} {baseline.name}
          </Link>
          {baseline.branch ? <span className="muted"> on {baseline.branch}</span> : null}
          {baseline.commit_sha ? (
            <code className="comparison__sha" title={baseline.commit_sha}>
              {baseline.commit_sha.slice(0, 8)}
            </code>
          ) : null}
          <span className="muted">
            {" "}
            (created <Time value={baseline.created_at} />
            {baseline.is_completed ? "" : ", still running"}) — {RULES[rule]}.
          </span>
        </p>
      ) : (
        <p className="comparison__baseline">
          No baseline: there is no earlier completed run of this source to compare with, so every test counts as new and
          every failure as a new failure. Pick a run above to compare with it.
        </p>
      )}
      <ul className="comparison__counts" aria-label="Comparison counts">
        <CountItem
          label="new failures"
          value={counts.new_failures}
          tone={counts.new_failures > 0 ? "failed" : "neutral"}
        />
        <CountItem label="fixed" value={counts.fixed} tone={counts.fixed > 0 ? "passed" : "neutral"} />
        <CountItem
          label="still failing"
          value={counts.still_failing}
          tone={counts.still_failing > 0 ? "warning" : "neutral"}
        />
        <CountItem label="slower" value={counts.slower} tone={counts.slower > 0 ? "warning" : "neutral"} />
        <CountItem label="new tests" value={counts.new_tests} tone="neutral" />
        <CountItem label="gone tests" value={counts.gone_tests} tone="neutral" />
      </ul>
      {failures.total > 0 ? (
        <p className="muted comparison__failures">
          {formatCount(failures.total)} failed test{failures.total === 1 ? "" : "s"} in this run:{" "}
          {formatCount(failures.unquarantined)} not quarantined, {formatCount(failures.quarantined)} quarantined.
        </p>
      ) : null}
      <div className="comparison__lists">
        {LISTS.map(({ category, title, empty }) => (
          <TestList
            key={category}
            category={category}
            title={title}
            empty={empty}
            tests={comparison.tests[category]}
            count={counts[category]}
          />
        ))}
      </div>
    </>
  );
}

function CountItem({
  label,
  value,
  tone,
}: {
  label: string;
  value: number;
  tone: "failed" | "passed" | "warning" | "neutral";
}) {
  return (
    <li className={`comparison__count comparison__count--${tone}`}>
      <span className="comparison__count-value">{formatCount(value)}</span> {label}
    </li>
  );
}

function TestList({
  category,
  title,
  empty,
  tests,
  count,
}: {
  category: ListedCategory;
  title: string;
  empty: string;
  tests: readonly ComparedTest[];
  count: number;
}) {
  const [all, setAll] = useState(false);
  const headingId = useId();
  const shown = all ? tests : tests.slice(0, SHOWN);
  return (
    <section className="comparison__list" aria-labelledby={headingId}>
      <h3 id={headingId} className="comparison__list-title">
        {title} <span className="muted">({formatCount(count)})</span>
      </h3>
      {tests.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul>
          {shown.map((test) => (
            <li key={test.automation_case_id} className="comparison__test">
              <div className="comparison__test-line">
                <Link
                  to="/automation/cases/$caseId"
                  params={{ caseId: test.automation_case_id }}
                  className="comparison__test-name"
                  title={test.name}
                >
                  {test.name}
                </Link>
                {test.is_quarantined ? (
                  <StatusChip tone="warning" title="Quarantined: its failures are known and ignored by CI gates">
                    Quarantined
                  </StatusChip>
                ) : null}
              </div>
              <div className="comparison__test-detail muted">
                <span className="comparison__folder" title={test.folder}>
                  {test.folder}
                </span>
                {category === "slower" ? (
                  <span className="comparison__durations">
                    <Duration micros={test.baseline_elapsed} /> → <Duration micros={test.elapsed} />
                  </span>
                ) : category === "fixed" ? (
                  test.baseline_status_id !== null ? (
                    <span>
                      was <ResultStatusChip statusId={test.baseline_status_id} />
                    </span>
                  ) : null
                ) : test.baseline_status_id === null && category === "new_failures" ? (
                  <span>new test</span>
                ) : null}
              </div>
              {test.message && category !== "fixed" && category !== "slower" ? (
                <p className="comparison__message" title={test.message}>
                  {test.message}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {tests.length > SHOWN ? (
        <Button variant="ghost" onClick={() => setAll((value) => !value)} aria-expanded={all}>
          {all
            ? "Show fewer"
            : count > tests.length
              ? `Show ${formatCount(tests.length)} of ${formatCount(count)}`
              : `Show all ${formatCount(tests.length)}`}
        </Button>
      ) : null}
      {count > tests.length && (all || tests.length <= SHOWN) ? (
        <p className="muted comparison__more">
          {formatCount(count - tests.length)} more not listed: filter the tests below to see every one.
        </p>
      ) : null}
    </section>
  );
}
