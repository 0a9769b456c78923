import type { CaseDetail } from "@assay/api";
import { useEffect, useRef } from "react";
import { Button } from "../../ui/Button";
import { Time } from "../../ui/Time";
import type { Difference } from "./case-draft";

/**
 * Someone else saved the case after this user opened it: what they changed, beside what this user
 * typed (which is still in the form). The user saves theirs over it or takes the other version.
 */
export function ConflictNotice({
  theirs,
  differences,
  busy,
  onKeepMine,
  onTakeTheirs,
}: {
  theirs: CaseDetail;
  differences: Difference[];
  busy: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const who = theirs.updated_by_name ?? "Someone else";
  return (
    <section className="card case-conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title" className="section-title" tabIndex={-1} ref={heading}>
        {who} saved this case while you were editing it
      </h2>
      <p>
        Your changes were <strong>not saved</strong> and are still in the form below.{" "}
        {theirs.updated_at ? (
          <>
            Their version was saved <Time value={theirs.updated_at} />.
          </>
        ) : null}
      </p>
      {differences.length > 0 ? (
        <div className="table-wrap">
          <table className="table case-conflict__table">
            <caption>What they changed, and what you have</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Their version</th>
                <th scope="col">Your version</th>
              </tr>
            </thead>
            <tbody>
              {differences.map((d) => (
                <tr key={d.field}>
                  <th scope="row">{d.field}</th>
                  <td className="case-conflict__value">{d.theirs}</td>
                  <td className="case-conflict__value">{d.yours}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>They saved without changing what you can edit here.</p>
      )}
      <div className="case-conflict__actions">
        <Button variant="primary" busy={busy} onClick={onKeepMine}>
          Save mine over theirs
        </Button>
        <Button onClick={onTakeTheirs}>Discard mine and load theirs</Button>
      </div>
    </section>
  );
}
