import type { InsightCase, Quarantine } from "@assay/api";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { isApiError } from "../../api/client";
import { sessionQuery } from "../../api/session";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { formatAbsolute, formatRelative } from "../../ui/format";
import { StatusChip } from "../../ui/StatusChip";
import { TextAreaField } from "../../ui/TextAreaField";
import { Time } from "../../ui/Time";
import { checkQuarantine, isoToLocalInput, type QuarantineErrors } from "./history";
import { useLiftQuarantine, useSetQuarantine, useUser } from "./hooks";

/**
 * A test's quarantine (docs/analytics.md, "Quarantine"): shown with its reason, who set it, since when and
 * until when; set, replaced or lifted here. The server decides who may: a refusal (403) is shown with its
 * reason, field messages (422) next to their fields.
 */
export function QuarantinePanel({ test }: { test: InsightCase }) {
  const [editing, setEditing] = useState(false);
  const [lifting, setLifting] = useState(false);
  const lift = useLiftQuarantine(test.id);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const quarantine = test.quarantine;
  // after a change, the keyboard continues from the panel (the form or dialog that had the focus is gone)
  const backToPanel = () => heading.current?.focus();

  return (
    <section className="card quarantine" aria-labelledby={headingId}>
      <h2 id={headingId} className="quarantine__title" ref={heading} tabIndex={-1}>
        Quarantine
      </h2>
      {quarantine ? (
        <QuarantineDetails quarantine={quarantine} />
      ) : (
        <p>
          Not quarantined. Quarantine a test whose failures your team has agreed to ignore for now (it is known to be
          flaky, a fix is under way): its results and figures stay as they are, and CI gates and run comparisons count
          its failures apart.
        </p>
      )}
      {editing ? (
        <QuarantineForm
          test={test}
          onDone={(saved) => {
            setEditing(false);
            if (saved) backToPanel();
          }}
        />
      ) : (
        <div className="quarantine__actions">
          <Button variant={quarantine ? "secondary" : "primary"} onClick={() => setEditing(true)}>
            {quarantine ? "Replace the quarantine…" : "Quarantine this test…"}
          </Button>
          {quarantine ? (
            <Button
              onClick={() => {
                lift.reset();
                setLifting(true);
              }}
            >
              Lift the quarantine
            </Button>
          ) : null}
        </div>
      )}
      {lift.isError && !lifting ? <RefusalMessage error={lift.error} action="lift the quarantine" /> : null}
      <ConfirmDialog
        open={lifting}
        title="Lift the quarantine?"
        confirmLabel="Lift the quarantine"
        busy={lift.isPending}
        onCancel={() => setLifting(false)}
        onConfirm={() =>
          lift.mutate(undefined, {
            onSettled: () => setLifting(false),
            onSuccess: () => setTimeout(backToPanel),
          })
        }
      >
        <p>The failures of “{test.name}” will count again in CI gates and run comparisons.</p>
      </ConfirmDialog>
    </section>
  );
}

function QuarantineDetails({ quarantine }: { quarantine: Quarantine }) {
  const session = useQuery(sessionQuery);
  const me = session.data?.user.id;
  const creator = useUser(quarantine.created_by !== me ? quarantine.created_by : null);
  const who =
    quarantine.created_by === null
      ? "an unknown user"
      : quarantine.created_by === me
        ? "you"
        : (creator.data?.name ?? `user ${quarantine.created_by}`);
  return (
    <>
      <p>
        <StatusChip tone="warning">Quarantined</StatusChip>{" "}
        {quarantine.expires_at ? (
          <>
            until{" "}
            <time dateTime={quarantine.expires_at} title={formatAbsolute(quarantine.expires_at)}>
              {formatAbsolute(quarantine.expires_at)}
            </time>{" "}
            <span className="muted">({formatRelative(quarantine.expires_at)})</span>
          </>
        ) : (
          "until lifted"
        )}
      </p>
      <dl className="quarantine__details">
        <dt>Reason</dt>
        <dd className="quarantine__reason">{quarantine.reason}</dd>
        <dt>Set by</dt>
        <dd>
          {who}, <Time value={quarantine.created_at} />
        </dd>
      </dl>
    </>
  );
}

/** What the server refused, in words: a 403 says who may; anything else its message. */
function RefusalMessage({ error, action }: { error: unknown; action: string }) {
  return (
    <div className="quarantine__refusal" role="alert">
      <p className="form__error">
        {isApiError(error, 403) ? `You may not ${action}: ` : `Could not ${action}: `}
        {errorMessage(error)}
      </p>
    </div>
  );
}

function QuarantineForm({ test, onDone }: { test: InsightCase; onDone: (saved: boolean) => void }) {
  const save = useSetQuarantine(test.id);
  const [reason, setReason] = useState(test.quarantine?.reason ?? "");
  const [expires, setExpires] = useState(isoToLocalInput(test.quarantine?.expires_at));
  const [errors, setErrors] = useState<QuarantineErrors>({});
  const replacing = test.quarantine !== null;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const reasonField = useRef<HTMLTextAreaElement>(null);
  useEffect(() => reasonField.current?.focus(), []);

  const serverError = save.error;
  const fieldError = (field: "reason" | "expires_at") =>
    errors[field] ?? (isApiError(serverError, 422) ? serverError.field(field) : undefined);
  const otherError =
    serverError && !(isApiError(serverError, 422) && (serverError.field("reason") || serverError.field("expires_at")))
      ? serverError
      : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkQuarantine({ reason, expires });
    if (checked.errors) {
      setErrors(checked.errors);
      save.reset();
      return;
    }
    setErrors({});
    save.mutate(checked.body, { onSuccess: () => onDone(true) });
  }

  return (
    <form className="form quarantine__form" onSubmit={submit} noValidate aria-label="Quarantine">
      <TextAreaField
        ref={reasonField}
        label="Reason"
        value={reason}
        rows={3}
        required
        hint="Why its failures may be ignored for now, e.g. a link to the issue. Up to 1,000 characters."
        error={fieldError("reason")}
        onChange={(event) => setReason(event.target.value)}
      />
      <TextField
        label="Expires (optional)"
        type="datetime-local"
        value={expires}
        hint={`Leave empty to keep it until lifted. Your time zone: ${zone}.`}
        error={fieldError("expires_at")}
        onChange={(event) => setExpires(event.target.value)}
      />
      {otherError ? <RefusalMessage error={otherError} action="quarantine this test" /> : null}
      <div className="quarantine__actions">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {replacing ? "Replace the quarantine" : "Quarantine the test"}
        </Button>
        <Button onClick={() => onDone(false)} disabled={save.isPending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
