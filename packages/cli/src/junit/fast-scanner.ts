import { REFERENCE_MARK } from "./values.js";

/**
 * The XML events the JUnit reader consumes, in saxes' shapes: `text` is one
 * text node between two pieces of markup (line ends normalised, entities
 * resolved, untrimmed), `cdata` one CDATA section.
 */
export interface XmlEvents {
  openTag(name: string, attributes: Record<string, string>): void;
  closeTag(): void;
  text(text: string): void;
  cdata(text: string): void;
}

/** The input holds something the fast scanner leaves to saxes; the caller reads the file again with saxes. */
export class FastPathUnsupported extends Error {
  constructor(readonly construct: string) {
    super(`the fast XML scanner does not read ${construct}`);
  }
}

const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BANG = 0x21;
const QUESTION = 0x3f;

interface OpenSection {
  kind: "cdata" | "comment";
  /** the body so far, one piece per chunk */
  pieces: string[];
  /** its last two characters: the end marker can begin there */
  tail: string;
}

const SECTION_END = { cdata: "]]>", comment: "-->" } as const;
const MAX_CARRIED_MARKUP = 256 * 1024;

/** Characters XML 1.0 disallows (saxes reports them) and lone surrogates: left to saxes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
const DISALLOWED = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const XML_DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.0\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\5)?[ \t\r\n]*\?>/;
const ONLY_SPACE = /^[ \t\r\n]*$/;
/** What makes an attribute value more than its raw text. */
const VALUE_SPECIALS = /[<&\t\n\r]/;
const CHARACTER_REFERENCE = /^#(?:[0-9]+|x[0-9a-fA-F]+)$/;
const PREDEFINED = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
]);

/**
 * A scanner for the XML that test tools write, several times faster than
 * saxes (bench/cli-upload.bench.js). It reads ASCII names, quoted attributes,
 * text, the five predefined entities and numeric references, CDATA, comments
 * and a plain XML declaration, and emits exactly the events saxes emits for
 * them. Anything else, every well-formedness error included, throws
 * `FastPathUnsupported` before an event is emitted for it, and the caller
 * reads the file with saxes, whose messages (with line and column) users see.
 * The tests parse every fixture both ways and compare.
 */
export class FastXmlScanner {
  /** Unconsumed input: a piece of markup cut by the end of the last chunk (a tag: never a section). */
  private carried = "";
  /** A CDATA section or comment that the last chunk ended inside: read on without scanning it again. */
  private section: OpenSection | null = null;
  /** The current text node's raw pieces, cut by chunk ends. */
  private rawText = "";
  private readonly open: string[] = [];
  private started = false;
  private sawRoot = false;
  private closedRoot = false;

  constructor(private readonly events: XmlEvents) {}

  write(chunk: string): void {
    const carriedLength = this.carried.length;
    let input = this.carried + chunk;
    this.carried = "";
    // A pair of surrogates can be cut by a chunk end: keep the first half for the next chunk.
    const last = input.charCodeAt(input.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.carried = input.slice(-1);
      input = input.slice(0, -1);
    }
    // Each character is checked once: the carried ones were, but for a first half of a pair cut last time.
    let from = Math.max(0, carriedLength - 1);
    if (isLowSurrogate(input.charCodeAt(from)) && from > 0) from--; // a whole pair carried: start at its first half
    checkCharacters(input.slice(from));
    let at = 0;
    if (this.section !== null) {
      at = this.continueSection(input);
      if (at < 0) return;
    }
    if (!this.started) {
      at = this.declaration(input);
      if (at < 0) {
        this.carried = input + this.carried;
        return;
      }
      this.started = true;
    }
    this.scan(input, at);
  }

  close(): void {
    if (this.carried !== "" || this.section !== null) throw new FastPathUnsupported("a document cut inside markup");
    this.endText();
    if (!this.sawRoot || this.open.length > 0) throw new FastPathUnsupported("a document without a closed root");
  }

  private scan(input: string, from: number): void {
    let at = from;
    while (at < input.length) {
      const lt = input.indexOf("<", at);
      if (lt === -1) {
        this.rawText += input.slice(at);
        return;
      }
      if (lt > at) this.rawText += input.slice(at, lt);
      const next = this.markup(input, lt);
      if (next < 0) {
        // Each chunk reads a cut tag from its start again: past this size saxes, which reads on, is faster.
        if (input.length - lt > MAX_CARRIED_MARKUP) throw new FastPathUnsupported("a tag over 256 KiB");
        this.carried = input.slice(lt) + this.carried;
        return;
      }
      at = next;
    }
  }

  /** Reads the markup at `lt`; returns the index after it, or -1 when the chunk ends inside it. */
  private markup(input: string, lt: number): number {
    if (lt + 1 >= input.length) return -1;
    const second = input.charCodeAt(lt + 1);
    if (second === SLASH) return this.closeTag(input, lt);
    if (second === BANG) return this.bang(input, lt);
    if (second === QUESTION) throw new FastPathUnsupported("a processing instruction");
    return this.openTag(input, lt);
  }

  /** The XML declaration, if any, at the very start; returns where the content starts, or -1 to wait for more. */
  private declaration(input: string): number {
    if (input.length < 6 && "<?xml ".startsWith(input)) return -1;
    if (!input.startsWith("<?xml")) return 0;
    const end = input.indexOf("?>");
    if (end < 0) {
      if (input.length > 1024) throw new FastPathUnsupported("an XML declaration over 1 KiB");
      return -1;
    }
    const match = XML_DECLARATION.exec(input);
    if (match === null || match[0].length !== end + 2) throw new FastPathUnsupported("this XML declaration");
    return end + 2;
  }

  private openTag(input: string, lt: number): number {
    let at = nameEnd(input, lt + 1);
    if (at >= input.length) return -1;
    if (!isNameStart(input.charCodeAt(lt + 1))) throw new FastPathUnsupported("this tag name");
    const name = input.slice(lt + 1, at);
    const attributes: Record<string, string> = {};
    let spaced = false;
    for (;;) {
      if (at >= input.length) return -1;
      const code = input.charCodeAt(at);
      if (isSpace(code)) {
        spaced = true;
        at++;
      } else if (code === GT) {
        this.startElement(name, attributes);
        return at + 1;
      } else if (code === SLASH) {
        if (at + 1 >= input.length) return -1;
        if (input.charCodeAt(at + 1) !== GT) throw new FastPathUnsupported("a / inside a tag");
        this.startElement(name, attributes);
        this.endElement();
        return at + 2;
      } else {
        if (!spaced) throw new FastPathUnsupported("attributes without space between them");
        at = readAttribute(input, at, attributes);
        if (at < 0) return -1;
        spaced = false;
      }
    }
  }

  private closeTag(input: string, lt: number): number {
    const gt = input.indexOf(">", lt + 2);
    if (gt < 0) return -1;
    let end = nameEnd(input, lt + 2);
    const name = input.slice(lt + 2, end);
    while (end < gt && isSpace(input.charCodeAt(end))) end++;
    if (end !== gt || name === "" || this.open.at(-1) !== name) throw new FastPathUnsupported("this closing tag");
    this.endText();
    this.endElement();
    return gt + 1;
  }

  /** `<!--`, `<![CDATA[` (and `<!DOCTYPE`, left to saxes). */
  private bang(input: string, lt: number): number {
    const head = input.slice(lt, lt + 9);
    if (head.startsWith("<!--")) return this.startSection(input, "comment", lt + 4);
    if (head === "<![CDATA[") {
      if (this.open.length === 0) throw new FastPathUnsupported("CDATA outside the root element");
      return this.startSection(input, "cdata", lt + 9);
    }
    if (head.length < 9 && ("<!--".startsWith(head) || "<![CDATA[".startsWith(head))) return -1;
    throw new FastPathUnsupported("a DOCTYPE or other <! markup");
  }

  /** A section whose body starts at `from`: ended here, or carried on in `section` (then the chunk is used up). */
  private startSection(input: string, kind: OpenSection["kind"], from: number): number {
    this.endText();
    const end = input.indexOf(SECTION_END[kind], from);
    if (end >= 0) {
      this.endSection(kind, input.slice(from, end));
      return end + 3;
    }
    const body = input.slice(from);
    this.section = { kind, pieces: [body], tail: body.slice(-2) };
    return input.length;
  }

  /** Looks for the open section's end in the next chunk only (and the two characters before it). */
  private continueSection(input: string): number {
    const section = this.section!;
    const before = section.tail;
    const found = (before + input).indexOf(SECTION_END[section.kind]);
    if (found < 0) {
      section.pieces.push(input);
      section.tail = (before + input).slice(-2);
      return -1;
    }
    this.section = null;
    const end = found - before.length; // in `input`; negative when the end began in the last chunk
    const body = section.pieces.join("") + input.slice(0, Math.max(0, end));
    this.endSection(section.kind, end < 0 ? body.slice(0, end) : body);
    return end + 3;
  }

  private endSection(kind: OpenSection["kind"], body: string): void {
    if (kind === "cdata") {
      this.events.cdata(normalizeLineEnds(body));
    } else if (body.includes("--") || body.endsWith("-")) {
      throw new FastPathUnsupported("a comment with --");
    }
  }

  private startElement(name: string, attributes: Record<string, string>): void {
    if (this.closedRoot) throw new FastPathUnsupported("a second root element");
    this.endText();
    this.sawRoot = true;
    this.open.push(name);
    this.events.openTag(name, attributes);
  }

  private endElement(): void {
    this.open.pop();
    if (this.open.length === 0) this.closedRoot = true;
    this.events.closeTag();
  }

  /** Ends the current text node at markup, as saxes does: one event per node, none when empty. */
  private endText(): void {
    const raw = this.rawText;
    if (raw === "") return;
    this.rawText = "";
    if (this.open.length === 0) {
      // Outside the root, saxes allows only white space, which the reader would trim away.
      if (!ONLY_SPACE.test(raw)) throw new FastPathUnsupported("text outside the root element");
      return;
    }
    if (raw.includes("]]>")) throw new FastPathUnsupported("]]> in text");
    this.events.text(resolveEntities(normalizeLineEnds(raw)));
  }
}

function checkCharacters(input: string): void {
  if (DISALLOWED.test(input)) throw new FastPathUnsupported("a control character");
  if (SURROGATE.test(input) && LONE_SURROGATE.test(input)) throw new FastPathUnsupported("a lone surrogate");
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

function isNameStart(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code === 0x5f || code === 0x3a;
}

/** A-Z, a-z, _ and :, then also 0-9, - and . */
function isNameCode(code: number): boolean {
  return isNameStart(code) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e;
}

/** The end of the ASCII name chars from `from`; a non-ASCII character after it makes the caller give up. */
function nameEnd(input: string, from: number): number {
  let at = from;
  while (at < input.length && isNameCode(input.charCodeAt(at))) at++;
  return at;
}

/** `name = "value"` at `from` into `attributes`; returns the index after it, or -1 when the chunk ends inside it. */
function readAttribute(input: string, from: number, attributes: Record<string, string>): number {
  const end = nameEnd(input, from);
  if (end >= input.length) return -1;
  if (!isNameStart(input.charCodeAt(from))) throw new FastPathUnsupported("this attribute name");
  const name = input.slice(from, end);
  if (name === "__proto__") throw new FastPathUnsupported("this attribute name");
  let at = skipSpace(input, end);
  if (at >= input.length) return -1;
  if (input.charCodeAt(at) !== EQUALS) throw new FastPathUnsupported("an attribute without a value");
  at = skipSpace(input, at + 1);
  if (at >= input.length) return -1;
  const quote = input.charCodeAt(at);
  if (quote !== QUOTE && quote !== APOSTROPHE) throw new FastPathUnsupported("an unquoted attribute value");
  const close = input.indexOf(quote === QUOTE ? '"' : "'", at + 1);
  if (close < 0) return -1;
  const raw = input.slice(at + 1, close);
  if (attributes[name] !== undefined) throw new FastPathUnsupported("a duplicate attribute");
  attributes[name] = VALUE_SPECIALS.test(raw) ? attributeValue(raw) : raw;
  return close + 1;
}

function skipSpace(input: string, from: number): number {
  let at = from;
  while (at < input.length && isSpace(input.charCodeAt(at))) at++;
  return at;
}

/** Saxes turns \r\n and a lone \r into \n. */
function normalizeLineEnds(raw: string): string {
  return raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
}

/** In attribute values saxes turns each line end (\r\n as one) and tab into a space; `<` is an error. */
function attributeValue(raw: string): string {
  if (raw.includes("<")) throw new FastPathUnsupported("< in an attribute value");
  return resolveEntities(raw.replace(/\r\n|[\t\n\r]/g, " "));
}

/**
 * The five predefined entities resolved; numeric references kept literal
 * behind REFERENCE_MARK, as the saxes reader keeps them (values.ts).
 */
function resolveEntities(raw: string): string {
  let amp = raw.indexOf("&");
  if (amp < 0) return raw;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    const semicolon = raw.indexOf(";", amp + 1);
    if (semicolon < 0) throw new FastPathUnsupported("an unterminated entity");
    out += raw.slice(from, amp) + resolveEntity(raw.slice(amp + 1, semicolon));
    from = semicolon + 1;
    amp = raw.indexOf("&", from);
  }
  return out + raw.slice(from);
}

function resolveEntity(name: string): string {
  const predefined = PREDEFINED.get(name);
  if (predefined !== undefined) return predefined;
  if (CHARACTER_REFERENCE.test(name)) return `${REFERENCE_MARK}${name};`;
  throw new FastPathUnsupported(`the entity &${name};`);
}
