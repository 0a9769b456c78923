import type { RepositoryOptions } from "@assay/api";
import { TextField } from "../../ui/Field";
import { SelectField } from "../../ui/SelectField";
import { useDebouncedText } from "../../ui/useDebouncedText";
import type { RepositorySearch } from "./search";

type FilterChange = Partial<Pick<RepositorySearch, "q" | "tag" | "state" | "template" | "field" | "value">>;

const idOrUndefined = (value: string) => (value === "" ? undefined : Number(value));

/** Search and filters of the case list; every change lands in the URL (the caller navigates). */
export function CaseFilters({
  search,
  options,
  onChange,
}: {
  search: RepositorySearch;
  options: RepositoryOptions | undefined;
  onChange: (change: FilterChange) => void;
}) {
  const [text, setText] = useDebouncedText(search.q, (q) => onChange({ q: q?.trim() || undefined }));
  const [value, setValue] = useDebouncedText(search.value, (v) => onChange({ value: v?.trim() || undefined }));

  return (
    <search className="repository__filters" aria-label="Search and filter cases">
      <TextField
        label="Search"
        type="search"
        placeholder="Name or key (C12)"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <SelectField
        label="Tag"
        value={search.tag ?? ""}
        onChange={(event) => onChange({ tag: idOrUndefined(event.target.value) })}
      >
        <option value="">Any tag</option>
        {options?.tags.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="State"
        value={search.state ?? ""}
        onChange={(event) => onChange({ state: idOrUndefined(event.target.value) })}
      >
        <option value="">Any state</option>
        {options?.states.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Template"
        value={search.template ?? ""}
        onChange={(event) => onChange({ template: idOrUndefined(event.target.value) })}
      >
        <option value="">Any template</option>
        {options?.templates.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      {options && options.custom_fields.length > 0 ? (
        <>
          <SelectField
            label="Custom field"
            value={search.field ?? ""}
            onChange={(event) => onChange({ field: event.target.value || undefined })}
          >
            <option value="">None</option>
            {options.custom_fields.map((name) => (
              <option key={name} value={name}>
                {name.replace(/^custom_/, "")}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Field value"
            value={value}
            disabled={!search.field}
            hint={search.field ? "Exact value, any case" : undefined}
            onChange={(event) => setValue(event.target.value)}
          />
        </>
      ) : null}
    </search>
  );
}
