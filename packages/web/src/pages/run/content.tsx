import type { AutomationArtifact, AutomationField, AutomationLink } from "@assay/api";
import { useMemo, useState } from "react";
import { Button } from "../../ui/Button";
import { ExternalLink } from "../../ui/ExternalLink";
import { formatCount } from "../../ui/format";
import { parseAnsi } from "./ansi";

/**
 * Uploaded content of runs and tests — fields, links, artifacts, console output. All of it is untrusted and
 * shown as TEXT: React escapes it, links are links only for http(s) URLs (ui/ExternalLink), HTML fields are
 * shown as their source, console output keeps its ANSI colours as classes on spans.
 */

/** Console output beyond this many characters is shown on request (a 1 MB log would make a slow page). */
const SHOWN_AT_FIRST = 50_000;

/** Text with ANSI colours, in a `<pre>`. */
export function AnsiText({ text, label }: { text: string /** the field's name (`data-field`) */; label?: string }) {
  const [all, setAll] = useState(false);
  const long = text.length > SHOWN_AT_FIRST;
  const shown = long && !all ? text.slice(0, SHOWN_AT_FIRST) : text;
  const segments = useMemo(() => parseAnsi(shown), [shown]);
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre className="ansi" tabIndex={0} data-field={label}>
        {segments.map((segment, i) =>
          segment.className ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity but their position
            <span key={i} className={segment.className}>
              {segment.text}
            </span>
          ) : (
            segment.text
          ),
        )}
      </pre>
      {long && !all ? (
        <p className="muted run-content__more">
          Showing the first {formatCount(SHOWN_AT_FIRST)} of {formatCount(text.length)} characters.{" "}
          <Button variant="ghost" onClick={() => setAll(true)}>
            Show all
          </Button>
        </p>
      ) : null}
    </>
  );
}

const FAILURE_NAMES = ["failure", "error"];

/** Failure/Error fields first (they explain a failed test), then the others in upload order. */
export function orderFields(fields: readonly AutomationField[]): AutomationField[] {
  const isFailure = (field: AutomationField) => FAILURE_NAMES.includes(field.name.trim().toLowerCase());
  return [...fields.filter(isFailure), ...fields.filter((field) => !isFailure(field))];
}

const TYPE_NAMES: Record<number, string> = { 1: "string", 2: "text", 3: "HTML", 4: "console", 5: "URL" };

export function FieldValue({ field }: { field: AutomationField }) {
  const value = field.value ?? "";
  if (field.value === null || value === "") return <span className="muted">(empty)</span>;
  switch (field.type) {
    case 4:
      return <AnsiText text={value} label={field.name} />;
    case 5:
      return <ExternalLink href={value} />;
    case 3:
      return (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
          <pre className="run-content__text" tabIndex={0} data-field={field.name}>
            {value}
          </pre>
          <p className="muted run-content__note">HTML shown as text.</p>
        </>
      );
    case 2:
      return (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        <pre className="run-content__text" tabIndex={0} data-field={field.name}>
          {value}
        </pre>
      );
    default:
      return <span className="run-content__string">{value}</span>;
  }
}

export function FieldList({ fields, emptyText }: { fields: readonly AutomationField[]; emptyText?: string }) {
  if (fields.length === 0) return emptyText ? <p className="muted">{emptyText}</p> : null;
  return (
    <dl className="run-content__fields">
      {orderFields(fields).map((field, i) => {
        const meta = Object.entries(field.meta ?? {});
        return (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: fields may share names; their order is their identity
            key={i}
            className={field.is_highlight ? "run-content__field run-content__field--highlight" : "run-content__field"}
          >
            <dt>
              {field.name}{" "}
              <span className="muted run-content__type">({TYPE_NAMES[field.type] ?? `type ${field.type}`})</span>
            </dt>
            <dd>
              {meta.length > 0 ? (
                <ul className="run-content__meta">
                  {meta.map(([key, value]) => (
                    <li key={key}>
                      <span className="muted">{key}:</span> {value}
                    </li>
                  ))}
                </ul>
              ) : null}
              <FieldValue field={field} />
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function ArtifactList({ artifacts }: { artifacts: readonly AutomationArtifact[] }) {
  if (artifacts.length === 0) return <p className="muted">No artifacts.</p>;
  return (
    <ul className="run-content__list">
      {artifacts.map((artifact, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: artifacts may share names
        <li key={i}>
          <ExternalLink href={artifact.url}>{artifact.name}</ExternalLink>
          {artifact.mime_type || artifact.size !== null ? (
            <span className="muted">
              {" "}
              (
              {[artifact.mime_type, artifact.size !== null ? formatSize(artifact.size) : null]
                .filter(Boolean)
                .join(", ")}
              )
            </span>
          ) : null}
          {artifact.note ? <span className="muted"> — {artifact.note}</span> : null}
          {/* the URL itself, when it is not a link (not http/https) */}
          {artifact.url && !/^https?:/i.test(artifact.url.trim()) ? (
            <span className="muted run-content__url"> {artifact.url}</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function LinkList({ links }: { links: readonly AutomationLink[] }) {
  if (links.length === 0) return <p className="muted">No links.</p>;
  return (
    <ul className="run-content__list">
      {links.map((link, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: links may share names
        <li key={i}>
          <ExternalLink href={link.url}>{link.name}</ExternalLink>
          {link.note ? <span className="muted"> — {link.note}</span> : null}
          {!/^https?:/i.test(link.url.trim()) ? <span className="muted run-content__url"> {link.url}</span> : null}
        </li>
      ))}
    </ul>
  );
}
