import type { ManualRunTest } from "@assay/api";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { ResultStatusChip } from "../../ui/StatusChip";
import type { ManualRunSearch } from "./search";

/** The run's tests in order; the current one is marked and kept in view. Each is a link (a deep link). */
export function TestList({
  runId,
  tests,
  currentId,
  userNames,
}: {
  runId: number;
  tests: readonly ManualRunTest[];
  currentId: number | null;
  userNames: ReadonlyMap<number, string>;
}) {
  const current = useRef<HTMLAnchorElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the current test changes
  useEffect(() => {
    current.current?.scrollIntoView?.({ block: "nearest" });
  }, [currentId]);
  return (
    <nav className="manual-run__list" aria-label="Tests of this run">
      <ol>
        {tests.map((test, index) => {
          const isCurrent = test.id === currentId;
          return (
            <li key={test.id}>
              <Link
                ref={isCurrent ? current : undefined}
                to="/manual-runs/$runId"
                params={{ runId }}
                search={(previous: ManualRunSearch) => ({ ...previous, test: test.id })}
                replace
                className="manual-run__item"
                aria-current={isCurrent ? "true" : undefined}
              >
                <span className="manual-run__item-index muted">{index + 1}</span>
                <span className="manual-run__item-name">{test.name}</span>
                <span className="manual-run__item-meta">
                  <ResultStatusChip statusId={test.status_id} />
                  <span className="muted">
                    {test.assignee_id ? (userNames.get(test.assignee_id) ?? `User ${test.assignee_id}`) : "Unassigned"}
                  </span>
                </span>
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
