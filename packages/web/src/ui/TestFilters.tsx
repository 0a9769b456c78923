import type { AutomationSource } from "@assay/api";
import "./insights.css";
import { TextField } from "./Field";
import { SelectField } from "./SelectField";
import { useDebouncedText } from "./useDebouncedText";

/** Filters of the lists of tests (flaky, slowest), as held in the URL. */
export interface TestFilterValues {
  source?: number;
  quarantined?: "yes" | "no";
  name?: string;
}

/**
 * Source, quarantine and name filters above a list of tests. The name is sent (to the URL, replacing the
 * entry) a moment after typing stops, so every keystroke does not make a request or a history entry.
 */
export function TestFilters({
  values,
  sources,
  onChange,
}: {
  values: TestFilterValues;
  sources: readonly AutomationSource[] | undefined;
  onChange: (next: Partial<TestFilterValues>, options?: { replace?: boolean }) => void;
}) {
  const [name, setName] = useDebouncedText(values.name, (text) => onChange({ name: text }, { replace: true }));

  return (
    <search className="filters" aria-label="Filters">
      <TextField
        label="Name contains"
        type="search"
        className="field--wide"
        value={name}
        maxLength={750}
        onChange={(event) => setName(event.target.value)}
      />
      <SelectField
        label="Source"
        value={values.source === undefined ? "" : String(values.source)}
        onChange={(event) => onChange({ source: event.target.value === "" ? undefined : Number(event.target.value) })}
      >
        <option value="">All sources</option>
        {values.source !== undefined && !sources?.some((s) => s.id === values.source) ? (
          <option value={String(values.source)}>Source {values.source}</option>
        ) : null}
        {(sources ?? []).map((source) => (
          <option key={source.id} value={String(source.id)}>
            {source.name}
            {source.is_retired ? " (retired)" : ""}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Quarantine"
        value={values.quarantined ?? ""}
        onChange={(event) =>
          onChange({ quarantined: event.target.value === "" ? undefined : (event.target.value as "yes" | "no") })
        }
      >
        <option value="">Any</option>
        <option value="yes">Quarantined</option>
        <option value="no">Not quarantined</option>
      </SelectField>
    </search>
  );
}
