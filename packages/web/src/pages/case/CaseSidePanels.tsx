import type { CaseDetail } from "@assay/api";
import { Link } from "@tanstack/react-router";
import { AutomationStatusChip } from "../../ui/StatusChip";
import { Time } from "../../ui/Time";

/** The case's linked automated tests with the status of their latest result. */
export function CaseSidePanels({ detail }: { detail: CaseDetail }) {
  return (
    <section aria-labelledby="automation-title">
      <h2 id="automation-title" className="section-title">
        Automated tests
      </h2>
      {detail.automation.length === 0 ? (
        <p className="muted">No linked automated tests.</p>
      ) : (
        <ul className="case-page__automation">
          {detail.automation.map((test) => (
            <li key={test.automation_case_id}>
              <Link to="/automation/cases/$caseId" params={{ caseId: test.automation_case_id }}>
                {test.name}
              </Link>{" "}
              <AutomationStatusChip status={test.status} />
              <div className="muted">
                {test.source_name}
                {test.folder ? ` · ${test.folder}` : ""}
                {test.last_result_at ? (
                  <>
                    {" · latest result "}
                    <Time value={test.last_result_at} />
                  </>
                ) : (
                  " · no result yet"
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
