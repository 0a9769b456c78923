import type { ManualRunTest } from "@assay/api";
import { useQuery } from "@tanstack/react-query";
import { Duration } from "../../ui/Duration";
import { errorMessage } from "../../ui/ErrorState";
import { formatCaseKey } from "../../ui/format";
import { SelectField } from "../../ui/SelectField";
import { ResultStatusChip } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";
import { caseQuery } from "../case/hooks";
import { CaseDetails } from "./CaseDetails";
import { useAssignTest } from "./hooks";

/** The current test: what it is, who has it, the case to execute, and its latest result (comment as text, issues, files). */
export function TestPanel({
  test,
  projectId,
  position,
  count,
  userNames,
  canAssign,
}: {
  test: ManualRunTest;
  projectId: number;
  position: number;
  count: number;
  userNames: ReadonlyMap<number, string>;
  /** project managers of an open run may give the test to someone else */
  canAssign: boolean;
}) {
  const latest = test.latest_result;
  const nameOf = (id: number | null) => (id ? (userNames.get(id) ?? `User ${id}`) : "nobody");
  return (
    <section className="card manual-run__test" aria-labelledby="current-test-title">
      <p className="muted manual-run__position">
        Test {position} of {count}
        <CaseKey caseId={test.case_id} />
      </p>
      <h2 id="current-test-title" className="manual-run__test-name">
        {test.name}
      </h2>
      <dl className="manual-run__facts">
        <div>
          <dt>Status</dt>
          <dd>
            <ResultStatusChip statusId={test.status_id} />
          </dd>
        </div>
        {canAssign ? null : (
          <div>
            <dt>Assigned to</dt>
            <dd>{nameOf(test.assignee_id)}</dd>
          </div>
        )}
        <div>
          <dt>Estimate</dt>
          <dd>
            <Duration micros={test.estimate} />
          </dd>
        </div>
      </dl>
      {canAssign ? <AssignTest runId={test.run_id} test={test} userNames={userNames} /> : null}
      <CaseDetails caseId={test.case_id} projectId={projectId} />
      {latest ? (
        <div className="manual-run__latest">
          <h3 className="manual-run__subtitle">Latest result</h3>
          <p className="muted">
            <ResultStatusChip statusId={latest.status_id} /> by {nameOf(latest.created_by)},{" "}
            <Time value={latest.created_at} />, took <Duration micros={latest.elapsed} />
          </p>
          {latest.note ? <p className="manual-run__note">{latest.note}</p> : null}
          {latest.issues.length > 0 ? (
            <p>
              Issues:{" "}
              {latest.issues.map((issue, i) => (
                <span key={issue.id}>
                  {i > 0 ? ", " : ""}
                  <span className="manual-run__issue">{issue.display_id}</span>
                </span>
              ))}
            </p>
          ) : null}
          {latest.attachments.length > 0 ? (
            <ul className="manual-run__attachments" aria-label="Attachments">
              {latest.attachments.map((file) => (
                <li key={file.id}>
                  {file.mime_type.startsWith("image/") ? (
                    <img className="manual-run__thumb" src={file.path} alt={`Screenshot ${file.name}`} />
                  ) : null}
                  <a href={file.path}>{file.name}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        <p className="muted">No result yet.</p>
      )}
    </section>
  );
}

/** " · C7", as the repository labels the case; nothing while it loads or when the case is gone. */
function CaseKey({ caseId }: { caseId: number }) {
  // the same query as the case details below: read from their cache, not fetched twice
  const key = useQuery(caseQuery(caseId)).data?.key;
  return key === undefined ? null : <> · {formatCaseKey(key)}</>;
}

function AssignTest({
  runId,
  test,
  userNames,
}: {
  runId: number;
  test: ManualRunTest;
  userNames: ReadonlyMap<number, string>;
}) {
  const assign = useAssignTest(runId);
  return (
    <div className="manual-run__assign">
      <SelectField
        label="Assigned to"
        value={test.assignee_id ?? ""}
        disabled={assign.isPending}
        onChange={(event) =>
          assign.mutate({ testId: test.id, assigneeId: event.target.value ? Number(event.target.value) : null })
        }
      >
        <option value="">Nobody</option>
        {[...userNames].map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </SelectField>
      {assign.isError ? (
        <p className="field__error" role="alert">
          {errorMessage(assign.error)}
        </p>
      ) : null}
    </div>
  );
}
