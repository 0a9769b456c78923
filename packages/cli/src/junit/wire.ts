import { hash } from "node:crypto";
import type { CreateAutomationArtifact, CreateAutomationField, CreateAutomationTest } from "@assay/api";
import { FIELD_TYPES } from "../api-values.js";
import { mimeTypeFor } from "./mime.js";
import { isHttpsUrl } from "./properties.js";
import type { JUnitAttachment, JUnitField, JUnitStep, JUnitTest } from "./types.js";

/**
 * Limits as Testmo's CLI applies them (cli.md §7). The caps are the official
 * 24/24/99, not the configured 25/25/100 (W18): fixing the off-by-one would
 * make our uploads differ from Testmo's for the same file, and identical
 * uploads matter more here than one extra field.
 */
export const WIRE_LIMITS = {
  string: 750,
  note: 80,
  text: 16_384,
  attachmentsPerTest: 24,
  fieldsPerTest: 24,
  stepsPerTest: 99,
} as const;

export const FOLDER_FALLBACK = "Unnamed folder";

const MIDDLE_ELISION = "...\n\n[...]\n\n...";
const TEXT_HALF = 8182; // 8182 + 15 + 8182 = 16379 units, Testmo's exact result

/** SHA-256 hex of the raw key, untruncated: the identity Testmo's history is keyed by. */
export function hashTestKey(rawKey: string): string {
  // One-shot hash: a third of createHash's cost per key, which counts at 100,000 keys.
  return hash("sha256", rawKey, "hex");
}

/**
 * The API shape of one test (cli.md §5.9), keys in Testmo's order. Pure:
 * the same test object always gives the same body.
 */
export function toWireTest(test: JUnitTest): CreateAutomationTest {
  const attachments = test.attachments.slice(0, WIRE_LIMITS.attachmentsPerTest);
  const artifacts = attachments.filter((a) => isHttpsUrl(a.value)).map(toArtifact);
  const fields = [
    ...attachments.filter((a) => !isHttpsUrl(a.value)).map(attachmentField),
    ...test.fields.slice(0, WIRE_LIMITS.fieldsPerTest).map(toWireField),
  ];
  const steps = test.steps.slice(0, WIRE_LIMITS.stepsPerTest);
  if (steps.length > 0) fields.push(stepsField(steps));
  const wire: CreateAutomationTest = {
    key: hashTestKey(String(test.key)),
    name: cutString(test.name),
    status: cutString(test.status),
    folder: cutString(test.folder || FOLDER_FALLBACK),
    artifacts,
    fields,
  };
  if (test.elapsed !== undefined) wire.elapsed = test.elapsed;
  if (test.file !== undefined) wire.file = cutString(test.file);
  if (test.line !== undefined) wire.line = test.line;
  if (test.assertions !== undefined) wire.assertions = test.assertions;
  return wire;
}

export function toWireField(field: JUnitField): CreateAutomationField {
  const wire: CreateAutomationField = { type: FIELD_TYPES[field.type], name: cutString(field.name) };
  if (field.meta !== undefined) wire.meta = cutMeta(field.meta);
  wire.value = cutFieldValue(field.type, String(field.value));
  wire.is_highlight = field.isHighlight;
  return wire;
}

/** `string`/`url`: first 750 units; `text`/`console`: middle elision; `html`: hard cut. */
export function cutFieldValue(type: JUnitField["type"], value: string): string {
  switch (type) {
    case "text":
    case "console":
      return elideMiddle(value);
    case "html":
      return value.slice(0, WIRE_LIMITS.text);
    default:
      return cutString(value);
  }
}

export function elideMiddle(value: string): string {
  if (value.length <= WIRE_LIMITS.text) return value;
  return value.slice(0, TEXT_HALF) + MIDDLE_ELISION + value.slice(-TEXT_HALF);
}

/** Lengths are UTF-16 units, as in Testmo's CLI. */
export function cutString(value: string): string {
  return String(value).slice(0, WIRE_LIMITS.string);
}

export function cutNote(value: string): string {
  return String(value).slice(0, WIRE_LIMITS.note);
}

function cutMeta(meta: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(meta).map(([key, value]) => [cutString(key), cutString(value)]));
}

/** An https attachment: named after its last path segment unless the URL ends in a separator. */
function toArtifact(attachment: JUnitAttachment): CreateAutomationArtifact {
  const url = attachment.value;
  const endsInSeparator = url.endsWith("/") || url.endsWith("\\");
  if (endsInSeparator) return { name: cutString(attachment.name), url: cutString(url) };
  const name = url.split(/[/\\]/).pop()!;
  const mimeType = mimeTypeFor(name);
  const artifact: CreateAutomationArtifact = { name: cutString(name), url: cutString(url) };
  if (mimeType !== undefined) artifact.mime_type = mimeType;
  return artifact;
}

/** Local paths (and http URLs) are recorded as a plain string field: files are never uploaded. */
function attachmentField(attachment: JUnitAttachment): CreateAutomationField {
  return { type: FIELD_TYPES.string, name: cutString(attachment.name), value: cutString(attachment.value) };
}

/**
 * Testmo inserts step content raw, so `Click &lt;b&gt;` arrives as live markup
 * (W19). We escape it: the step reads exactly as written in the report, and
 * a step cannot inject HTML. Only steps containing `<`, `>` or `&` differ.
 */
function stepsField(steps: JUnitStep[]): CreateAutomationField {
  const body = steps
    .map((step) => {
      const status = step.status ? ` status="${escapeHtml(String(step.status))}"` : "";
      return `<test-step${status}>${escapeHtml(String(step.content))}</test-step>\n`;
    })
    .join("");
  return {
    type: FIELD_TYPES.html,
    name: "Steps",
    value: cutFieldValue("html", `<test-steps>${body}</test-steps>`),
    is_highlight: false,
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (char) => HTML_ESCAPES[char]!);
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
