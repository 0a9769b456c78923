import { useState } from "react";
import { Button } from "../../ui/Button";
import { TextField } from "../../ui/Field";
import type { DraftField } from "./case-draft";

const FIELD_NAME = /^[A-Za-z0-9_]{1,64}$/;

/**
 * Custom fields (`custom_*` values, e.g. priority): text values are edited here; values of other
 * kinds that API clients stored are shown as they are and kept.
 */
export function CustomFieldsEditor({
  fields,
  other,
  canEdit,
  error,
  onChange,
}: {
  fields: DraftField[];
  other: Record<string, unknown>;
  canEdit: boolean;
  error: (name: string) => string | undefined;
  onChange: (fields: DraftField[]) => void;
}) {
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const structured = Object.entries(other).filter(([, value]) => typeof value !== "string");

  function add() {
    const clean = name.trim().replace(/^custom_/, "");
    if (!FIELD_NAME.test(clean)) {
      setNameError("Use 1–64 letters, digits or underscores, e.g. priority.");
      return;
    }
    if (fields.some((f) => f.name === `custom_${clean}`)) {
      setNameError(`The case already has the field “${clean}”.`);
      return;
    }
    setNameError(null);
    setName("");
    onChange([...fields, { name: `custom_${clean}`, value: "" }]);
  }

  return (
    <section className="case-fields" aria-labelledby="fields-title">
      <h2 id="fields-title" className="section-title">
        Custom fields
      </h2>
      {fields.length === 0 && structured.length === 0 ? <p className="muted">None.</p> : null}
      {fields.map((field) => (
        <div key={field.name} className="form__row">
          <TextField
            label={field.name.replace(/^custom_/, "")}
            value={field.value}
            readOnly={!canEdit}
            error={error(`custom_fields.${field.name}`)}
            onChange={(event) =>
              onChange(fields.map((f) => (f.name === field.name ? { ...f, value: event.target.value } : f)))
            }
          />
          {canEdit ? (
            <Button
              variant="ghost"
              aria-label={`Remove the field ${field.name.replace(/^custom_/, "")}`}
              onClick={() => onChange(fields.filter((f) => f.name !== field.name))}
            >
              Remove
            </Button>
          ) : null}
        </div>
      ))}
      {structured.length > 0 ? (
        <dl className="case-fields__structured">
          {structured.map(([key, value]) => (
            <div key={key}>
              <dt>{key.replace(/^custom_/, "")}</dt>
              <dd className="code">{JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {canEdit ? (
        <div className="form__row">
          <TextField
            label="New field name"
            value={name}
            error={nameError}
            onChange={(event) => setName(event.target.value)}
          />
          <Button onClick={add}>Add field</Button>
        </div>
      ) : null}
    </section>
  );
}
