/**
 * The internal test object, shaped exactly as Testmo's CLI 1.4.5 hands it to a
 * `--results-rewriter` script (cli.md §5.8), so rewriter scripts written for the
 * official tool keep working. `toWireTest` turns it into the API shape.
 */

export type JUnitFieldType = "string" | "url" | "text" | "console" | "html";

/**
 * Where a field, attachment or step came from: the JUnit element name that
 * produced it (`failure`, `error`, `skipped`, `flakyFailure`, `rerunFailure`,
 * `flakyError`, `rerunError`, `system-out`, `system-err`) or `property` for a
 * `<property>` element.
 */
export type JUnitSource = string;

export interface JUnitField {
  source: JUnitSource;
  type: JUnitFieldType;
  name: string;
  value: string;
  isHighlight: boolean;
  /** Only status-detail fields carry meta (`message` / `type` attributes not used as the value). */
  meta?: Record<string, string>;
}

export interface JUnitAttachment {
  source: JUnitSource;
  name: string;
  /** A path or URL, never file content. */
  value: string;
}

export interface JUnitStep {
  source: JUnitSource;
  content: string;
  status?: string;
}

export interface JUnitTest {
  /** Raw identity string `<classname>.<name>` (or `<name>`), hashed only by `toWireTest`. */
  key: string;
  name: string;
  /** `passed`, `failure`, `error` or `skipped` from the parser; a rewriter may set anything. */
  status: string;
  folder?: string;
  file?: string;
  line?: number;
  /** Microseconds. */
  elapsed?: number;
  assertions?: number;
  attachments: JUnitAttachment[];
  fields: JUnitField[];
  steps: JUnitStep[];
}

/** File-level facts, complete once every test of the file has been read. */
export interface JUnitFileSummary {
  fileName: string;
  /** Character encoding the bytes were decoded with (`utf-8`, `utf-16le`, `windows-1252`, ...). */
  encoding: string;
  testCount: number;
  /** File elapsed in microseconds by the §5.6 rules (root time, single-child descent, else sum). */
  elapsed: number;
  warnings: string[];
  /** False until the whole file was read without a fatal error. */
  complete: boolean;
}
