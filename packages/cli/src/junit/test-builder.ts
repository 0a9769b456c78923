import { scanOutput } from "./output-markers.js";
import { classifyProperty, type RawProperty } from "./properties.js";
import type { JUnitField, JUnitTest } from "./types.js";
import { decodeReferences, parseNonNegativeInteger, parseSecondsToMicros, readAttribute } from "./values.js";

export type StatusElement = "skipped" | "failure" | "error";
export type RerunElement = "flakyFailure" | "flakyError" | "rerunFailure" | "rerunError";

/** Precedence of cli.md §5.5: error > failure > skipped, whatever the document order. */
const STATUS_RANK: Record<StatusElement, number> = { skipped: 1, failure: 2, error: 3 };
const STATUS_FIELD_NAME: Record<StatusElement, string> = { skipped: "Skipped", failure: "Failure", error: "Error" };

/**
 * Surefire re-run results do not change the status (Testmo keeps a flaky test
 * `passed`, and a test failing all reruns already has its own `<failure>`), so
 * uploads count like Testmo's. We add one non-highlighted console field per
 * rerun element, so the flakiness is visible instead of silently lost (W21).
 */
const RERUN_FIELD_NAME: Record<RerunElement, string> = {
  flakyFailure: "Flaky failure",
  flakyError: "Flaky error",
  rerunFailure: "Rerun failure",
  rerunError: "Rerun error",
};

/** The text and attributes of one failure/error/skipped or rerun element. */
export interface DetailElement {
  attributes: Record<string, string>;
  text: string;
}

export interface BuildOutcome {
  test: JUnitTest;
  warnings: string[];
}

/** Collects one `<testcase>`'s children as the reader streams them, then builds the test. */
export class TestCaseBuilder {
  private status: StatusElement | "passed" = "passed";
  private readonly details: Record<StatusElement, JUnitField[]> = { skipped: [], failure: [], error: [] };
  private readonly rerunFields: JUnitField[] = [];
  private readonly properties: RawProperty[] = [];
  private systemOut: string | undefined;
  private systemErr: string | undefined;
  private propertiesSeen = false;

  constructor(private readonly attributes: Record<string, string>) {}

  /** Testmo drops a test case whose trimmed name is empty. */
  static hasName(attributes: Record<string, string>): boolean {
    return (attributes["name"] ?? "").trim() !== "";
  }

  addStatus(kind: StatusElement, element: DetailElement): void {
    if (this.status === "passed" || STATUS_RANK[kind] > STATUS_RANK[this.status]) this.status = kind;
    const field = detailField(kind, STATUS_FIELD_NAME[kind], true, element);
    if (field) this.details[kind].push(field);
  }

  addRerun(kind: RerunElement, element: DetailElement): void {
    const field = detailField(kind, RERUN_FIELD_NAME[kind], false, element);
    if (field) this.rerunFields.push(field);
  }

  /** Only the first `system-out` and the first `system-err` count (cli.md §5.5). */
  wantsOutput(kind: "system-out" | "system-err"): boolean {
    return (kind === "system-out" ? this.systemOut : this.systemErr) === undefined;
  }

  setOutput(kind: "system-out" | "system-err", text: string): void {
    if (kind === "system-out") this.systemOut = decodeReferences(text);
    else this.systemErr = decodeReferences(text);
  }

  /** Only the first `<properties>` element counts. Returns false for later ones. */
  claimProperties(): boolean {
    if (this.propertiesSeen) return false;
    this.propertiesSeen = true;
    return true;
  }

  addProperty(attributes: Record<string, string>, text: string): void {
    const name = decodeReferences((attributes["name"] ?? "").trim());
    if (name === "") return;
    const attributeValue = decodeReferences((attributes["value"] ?? "").trim());
    if (attributeValue !== "") {
      this.properties.push({ source: "property", name, value: attributeValue, multiLine: false });
      return;
    }
    const textValue = decodeReferences(text).trim();
    if (textValue !== "") this.properties.push({ source: "property", name, value: textValue, multiLine: true });
  }

  build(): BuildOutcome {
    const warnings: string[] = [];
    const name = readAttribute(this.attributes["name"]);
    const folder = readFolder(this.attributes);
    // Keys in the order Testmo's rewriter sees them (cli.md §5.8).
    const test: JUnitTest = {
      key: folder ? `${folder.official}.${name.official}` : name.official,
      name: name.display,
      status: this.status,
      ...(folder ? { folder: folder.display } : {}),
      ...this.scalarAttributes(),
      attachments: [],
      fields: [...this.details.skipped, ...this.details.failure, ...this.details.error, ...this.rerunFields],
      steps: [],
    };
    this.addOutputs(test, warnings);
    return { test, warnings };
  }

  /** `time`, else `duration`, in microseconds (what the count-only pass needs of a test). */
  elapsedMicros(): number | undefined {
    return parseSecondsToMicros(this.attributes["time"]) ?? parseSecondsToMicros(this.attributes["duration"]);
  }

  private scalarAttributes(): Pick<JUnitTest, "file" | "line" | "elapsed" | "assertions"> {
    const scalars: Pick<JUnitTest, "file" | "line" | "elapsed" | "assertions"> = {};
    const file = this.attributes["file"]?.trim();
    if (file) scalars.file = decodeReferences(file);
    const line = parseNonNegativeInteger(this.attributes["line"]);
    if (line !== undefined) scalars.line = line;
    const elapsed = this.elapsedMicros();
    if (elapsed !== undefined) scalars.elapsed = elapsed;
    const assertions = parseNonNegativeInteger(this.attributes["assertions"]);
    if (assertions !== undefined) scalars.assertions = assertions;
    return scalars;
  }

  /** Field order of cli.md §5.9: details, Output, Errors, then marker and `<property>` fields. */
  private addOutputs(test: JUnitTest, warnings: string[]): void {
    const out = scanOutput(this.systemOut ?? "", "system-out");
    const err = scanOutput(this.systemErr ?? "", "system-err");
    if (out.text) test.fields.push(outputField("system-out", "Output", out.text));
    if (err.text) test.fields.push(outputField("system-err", "Errors", err.text));
    for (const scanned of [out, err]) {
      if (scanned.unterminatedBlock !== undefined) {
        warnings.push(`unterminated [[PROPERTY|${scanned.unterminatedBlock}]] block swallowed the rest of the output`);
      }
    }
    test.attachments.push(...out.attachments, ...err.attachments);
    for (const property of [...out.properties, ...err.properties, ...this.properties]) {
      this.place(test, property, warnings);
    }
  }

  private place(test: JUnitTest, property: RawProperty, warnings: string[]): void {
    const classified = classifyProperty(property);
    if (classified.kind === "attachment") test.attachments.push(classified.attachment);
    else if (classified.kind === "step") test.steps.push(classified.step);
    else if (classified.kind === "field") test.fields.push(classified.field);
    else warnings.push(classified.reason);
  }
}

function readFolder(attributes: Record<string, string>) {
  for (const attribute of ["classname", "class"]) {
    const value = readAttribute(attributes[attribute]);
    if (value.official !== "") return value;
  }
  return undefined;
}

/**
 * Value: the element text, else `message`, else `type`; the attributes not used
 * as the value go to meta. No value at all gives no field (the status still counts).
 */
function detailField(
  source: string,
  name: string,
  isHighlight: boolean,
  element: DetailElement,
): JUnitField | undefined {
  const text = decodeReferences(element.text);
  const message = decodeReferences((element.attributes["message"] ?? "").trim()).trim();
  const type = decodeReferences((element.attributes["type"] ?? "").trim()).trim();
  const value = text || message || type;
  if (!value) return undefined;
  const valueFrom = text ? "text" : message ? "message" : "type";
  const meta: Record<string, string> = {};
  if (message && valueFrom === "text") meta["message"] = message;
  if (type && valueFrom !== "type") meta["type"] = type;
  return { source, type: "console", name, value, isHighlight, meta };
}

function outputField(source: string, name: string, value: string): JUnitField {
  return { source, type: "console", name, value, isHighlight: false };
}
