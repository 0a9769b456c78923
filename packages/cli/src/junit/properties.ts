import type { JUnitAttachment, JUnitField, JUnitFieldType, JUnitSource, JUnitStep } from "./types.js";

/** A name/value pair from `<property>` or a `[[PROPERTY|…]]` output marker. */
export interface RawProperty {
  source: JUnitSource;
  name: string;
  value: string;
  /** Element text or a `[[PROPERTY|name]]` block, as opposed to a `value=` attribute or `name=value` marker. */
  multiLine: boolean;
}

export type ClassifiedProperty =
  | { kind: "attachment"; attachment: JUnitAttachment }
  | { kind: "step"; step: JUnitStep }
  | { kind: "field"; field: JUnitField }
  | { kind: "invalid"; reason: string };

// Testmo's matching is loose on purpose-free prefixes (W23: `stepCount` becomes a step).
// We keep it: changing it would change which fields a test carries compared to Testmo.
const ATTACHMENT_NAME = /^attachment/i;
const STEP_NAME = /^step/i;
const STEP_WITH_STATUS = /^step\d*\[([^\]]*)\]$/i;
const TYPE_PREFIX = /^(string|url|text|console|html):/;
// Testmo's URL test: true for `https://` (and the typo `htts://`), false for `http://` (W16, kept).
const URL_VALUE = /^http?s:\/\//;

/** cli.md §5.7 "Property classification", tested in the official order. */
export function classifyProperty(property: RawProperty): ClassifiedProperty {
  const { source, name, value } = property;
  if (ATTACHMENT_NAME.test(name)) return { kind: "attachment", attachment: { source, name, value } };
  if (STEP_NAME.test(name)) return { kind: "step", step: makeStep(source, name, value) };
  const prefix = TYPE_PREFIX.exec(name);
  const hint: JUnitFieldType = prefix ? (prefix[1] as JUnitFieldType) : property.multiLine ? "text" : "string";
  const fieldName = prefix ? name.slice(prefix[0].length).trim() : name;
  if (fieldName === "") return { kind: "invalid", reason: `property "${name}" has no name after its type prefix` };
  const type = hint === "url" && !URL_VALUE.test(value) ? "string" : hint;
  return { kind: "field", field: { source, type, name: fieldName, value, isHighlight: false } };
}

function makeStep(source: JUnitSource, name: string, content: string): JUnitStep {
  const status = STEP_WITH_STATUS.exec(name)?.[1]?.trim();
  return status ? { source, content, status } : { source, content };
}

export function isHttpsUrl(value: string): boolean {
  return URL_VALUE.test(value);
}
