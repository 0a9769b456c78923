import { SaxesParser } from "saxes";
import { JUnitParseError } from "./errors.js";
import type { XmlEvents } from "./fast-scanner.js";
import { REFERENCE_MARK } from "./values.js";
import type { WarningLog } from "./warnings.js";

const SAXES_ENTITY_STATE = 14; // S_ENTITY in saxes.js
const UNTERMINATED_ENTITY = "unterminated entity reference (a bare & must be written &amp;)";

/** The parts of saxes 6.0.0 (pinned) we reach into; the unit tests pin their behaviour. */
interface SaxesInternals {
  state: number;
  chunk: string;
  prevI: number;
  parseEntity(entity: string): string;
}

/**
 * Any XML through saxes, with Testmo's leniencies: the reference tokenizer,
 * and the one whose errors (with line and column) users see. The fast scanner
 * gives up on anything it does not read exactly as this one does.
 */
export class SaxesTokenizer {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly declaredEntities = new Set<string>();

  constructor(
    events: XmlEvents,
    private readonly fileName: string,
    private readonly warnings: WarningLog,
  ) {
    this.parser.on("opentag", (tag) => events.openTag(tag.name, tag.attributes));
    this.parser.on("closetag", () => events.closeTag());
    this.parser.on("text", (text) => events.text(text));
    this.parser.on("cdata", (text) => events.cdata(text));
    this.parser.on("doctype", (doctype) => this.readDoctype(doctype));
    this.parser.on("error", (error) => this.onSaxesError(error));
    this.interceptEntities();
  }

  write(text: string): void {
    this.parser.write(text);
  }

  close(): void {
    this.parser.close();
  }

  /**
   * Saxes never expands DTD entities. A reference to one is therefore refused
   * with a clear message rather than kept literally, because the expanded
   * text would be part of Testmo's key and a silent difference is worse than
   * an error. This also stops entity-expansion bombs at their first reference.
   */
  private readDoctype(doctype: string): void {
    for (const match of doctype.matchAll(/<!ENTITY\s+([^\s%]+)/g)) this.declaredEntities.add(match[1]!);
  }

  private interceptEntities(): void {
    const internals = this.parser as unknown as SaxesInternals;
    const resolveEntity = internals.parseEntity.bind(this.parser);
    internals.parseEntity = (entity: string): string => {
      // Numeric references stay literal behind a marker (see values.ts): decoded for display, hashed as written.
      if (entity.startsWith("#")) return `${REFERENCE_MARK}${entity};`;
      if (this.declaredEntities.has(entity)) {
        throw this.fatal(
          `entity &${entity}; is declared in the DOCTYPE; DTD entities are never expanded (entity-expansion protection)`,
        );
      }
      return resolveEntity(entity);
    };
  }

  /**
   * Testmo accepts control characters and undefined entities such as `&nbsp;`
   * (kept literally), so they are warnings here, not errors. Everything else
   * saxes reports is a well-formedness error and ends the file.
   */
  private onSaxesError(error: Error): void {
    const reason = error.message.replace(/^\d+:\d+: /, "");
    if (reason === "undefined entity.") {
      this.warnings.add("undefined entity kept literally");
      return;
    }
    if (reason === "disallowed character." && this.offendingCharacter() !== "<") {
      this.warnings.add("control character kept as is");
      return;
    }
    throw this.fatal(this.insideEntity() ? UNTERMINATED_ENTITY : reason.replace(/\.$/, ""));
  }

  /** Saxes reads an entity name up to the next `;`, so a bare `&` surfaces later as an unrelated error. */
  private insideEntity(): boolean {
    return (this.parser as unknown as SaxesInternals).state === SAXES_ENTITY_STATE;
  }

  private offendingCharacter(): string | undefined {
    const internals = this.parser as unknown as SaxesInternals;
    return internals.chunk[internals.prevI];
  }

  private fatal(reason: string): JUnitParseError {
    return new JUnitParseError(this.fileName, reason, this.parser.line, this.parser.column);
  }
}
