import { createHash } from "node:crypto";

/**
 * Failure signatures: a fingerprint that stays the same for failures with the
 * same cause, so that twenty red results caused by one bug show as one group
 * even though their messages differ in numbers, ids, times and temp paths.
 *
 * The fingerprint is the exception type, the message with its variable parts
 * replaced by placeholders, and the first few stack frames of the project's
 * own code (framework and runtime frames are noise that moves between
 * versions). Pure string work; every regex is linear on its input, and the
 * input is cut to a few KiB first, so a 16 KiB value costs little.
 */

export interface FailureInput {
  /** the `type` attribute of the JUnit element, if any */
  type?: string | null;
  /** the `message` attribute of the JUnit element, if any */
  message?: string | null;
  /** the element's text: usually the stack trace, sometimes only the message */
  text?: string | null;
}

export interface FailureSignature {
  /** 16 hex chars: the first 64 bits of the SHA-256 of `type\nmessage\nframes` */
  hash: string;
  /** the exception type or class, when the input names one */
  type: string | null;
  /** the message with its variable parts replaced by placeholders (<num>, <path>, ...), at most 500 chars */
  message: string;
  /** at most 3 normalised frames of the project's own code: "function (file)", "function" or "file" */
  frames: string[];
  /** the first line of the message as it was (trimmed, at most 500 chars), for display */
  sample: string;
}

/** How much of the message is normalised: a message longer than this is a dump, its head decides. */
const MESSAGE_SCAN_CHARS = 4096;
/** The window of the text that is searched for frames (and, for Python, for the message at its end). */
const FRAME_SCAN_CHARS = 8192;
const FRAME_SCAN_LINES = 64;
/** Longer lines are data, not frames: skipping them keeps the per-line regexes cheap. */
const MAX_FRAME_LINE = 1024;
const MAX_MESSAGE = 500;
const MAX_FRAMES = 3;
const MAX_FRAME_TEXT = 300;
const MAX_TYPE = 200;

/** Attribute values some reporters write when they have nothing to say (go-junit-report: message="Failed"). */
const GENERIC_MESSAGES = new Set(["", "fail", "failed", "failure", "error"]);
/** Type attributes that say nothing (JunitXml.TestLogger's type="failure"); lower-case, as "Error" is a JS class. */
const GENERIC_TYPES = new Set(["fail", "failed", "failure", "error", "exception"]);

// ---------------------------------------------------------------------------
// Message normalisation

interface Rule {
  re: RegExp;
  to: string;
  /** a match that fails this is left alone (the regex alone cannot say it cheaply) */
  when?: (match: string) => boolean;
}

/** Two or more segments, or a file name with an extension: "/health" stays, "/tmp/x" and "/a.txt" go. */
const isPathLike = (m: string): boolean => m.split("/").filter(Boolean).length >= 2 || /\.\w+\/?$/.test(m);
/** Without a digit, "cafe::babe" or "Foo::Bar"-like words are not addresses; compressed or full form only. */
const isIpv6 = (m: string): boolean => /\d/.test(m) && (m.includes("::") || (m.match(/:/g)?.length ?? 0) >= 7);
/** "deadbeef" is a word and "12345678" a number; an id or sha mixes both. */
const isHexId = (m: string): boolean => /\d/.test(m) && /[a-f]/i.test(m);

/**
 * Applied in order; each one sees the previous one's placeholders, which hold
 * no digits, slashes or quotes, so later rules cannot match inside them.
 * Quotes first (whatever is quoted is data); URLs and e-mails before paths
 * (they contain slashes); paths before UUIDs, times and numbers (a temp path
 * holds all of those); UUIDs and times before hex and numbers.
 */
const RULES: readonly Rule[] = [
  // 'x', "x", `x` and Ruby's `x' up to 200 chars on one line; an apostrophe inside a word ("can't") opens nothing
  { re: /(?<![\w'"`])(?:'[^'\n]{0,200}'|"[^"\n]{0,200}"|`[^`'\n]{0,200}[`'])(?!\w)/g, to: "<str>" },
  // the scheme is bounded so that "a.a.a.a..." is not rescanned from every dot
  { re: /\b[A-Za-z][\w+.-]{0,15}:\/\/[^\s"'`<>()[\]{}]+/g, to: "<url>" },
  { re: /(?<![\w.+-])[\w.+-]{1,64}@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b/g, to: "<email>" },
  // C:\a\b, C:/a/b and \\server\share\a; each segment ends at a separator, so there is one way to match
  {
    re: /\b[A-Za-z]:[\\/](?:[^\\/\s:*?"<>|;,]+[\\/])*[^\\/\s:*?"<>|;,]*|\\\\[\w.$-]+(?:\\[^\\\s:*?"<>|;,]+)+/g,
    to: "<path>",
  },
  // /a/b/c.ext and ~/a/b, not the "/" inside "Failure/Error" or "and/or"
  { re: /(?<![\w.~/-])~?(?:\/[\w.@%+=~-]+)+\/?/g, to: "<path>", when: isPathLike },
  // Java's Object.toString() and Node's inspect: Foo@1a2b3c
  { re: /(?<=[\w$])@[0-9a-fA-F]{1,16}\b/g, to: "@<hex>" },
  { re: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, to: "<uuid>" },
  // ISO 8601 date with optional time and zone, 2024/01/02, 01/02/2024
  {
    re: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?(?!\d)|\b\d{4}\/\d{2}\/\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{4}\b/g,
    to: "<time>",
  },
  // a clock time needs seconds: "42:17" is as likely a line:column as a time
  { re: /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?[AaPp][Mm]\b)?(?!\d)/g, to: "<time>" },
  // 1.5s, 2m30s, 5000ms, "5000 ms", "3 seconds"
  {
    re: /(?<![A-Za-z\d.])\d+(?:\.\d+)? ?(?:milliseconds?|seconds?|minutes?|hours?|secs?|mins?|ms)\b|(?<![A-Za-z\d.])(?:\d+(?:\.\d+)?(?:ms|us|µs|ns|min|h|m|s)(?![A-Za-z]))+/g,
    to: "<duration>",
  },
  // IPv4 with optional port; a trailing sentence dot is not part of it
  { re: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\w]|\.\d)/g, to: "<ip>" },
  // [v6]:port, or bare v6; each group ends with ":", so the repetition is bounded and unambiguous
  {
    re: /\[(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\](?::\d{1,5})?|(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])/g,
    to: "<ip>",
    when: isIpv6,
  },
  { re: /\b0[xX][0-9a-fA-F]+\b/g, to: "<hex>" },
  { re: /\b[0-9a-fA-F]{8,}\b/g, to: "<hex>", when: isHexId },
  // -1, 1,234,567.89, 1e-5; not the digits of "sha256" or "v1.2" (identifiers and versions are not values)
  {
    re: /(?<![A-Za-z\d.])-?\d+(?:,\d{3}(?!\d))*(?:\.\d+)*(?:[eE][+-]?\d+)?(?![A-Za-z\d]|\.\d)/g,
    to: "<num>",
  },
];

/** Terminal colours survive some reporters; they are neither message nor data. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[ -/]*[@-~]`, "g");

/**
 * A message with its variable parts replaced by placeholders and its
 * whitespace collapsed, at most 500 chars. Only the first 4 KiB is read.
 */
export function normaliseMessage(text: string): string {
  let out = typeof text === "string" ? text.slice(0, MESSAGE_SCAN_CHARS).replace(ANSI, "") : "";
  for (const { re, to, when } of RULES) {
    out = out.replace(re, (m) => (when === undefined || when(m) ? to : m));
  }
  return out.replace(/\s+/g, " ").trim().slice(0, MAX_MESSAGE);
}

// ---------------------------------------------------------------------------
// Exception types

/** "pkg.Class", "Mod::Class", optionally Node's " [ERR_CODE]", then ":" (NUnit: " :") or the end of the line. */
const TYPE_PREFIX = /^([A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*)(?: \[[\w-]+\])?(?: ?:|$)/;
const EXCEPTION_NAME =
  /(?:Error|Exception|Failure|Failed|Fault|Panic|Exit|Interrupt|StopIteration|Warning|Throwable|Timeout)$/;
/** org.mockito...WantedButNotInvoked: lower-case packages and a class name are a type whatever it is called. */
const QUALIFIED_CLASS = /^(?:[a-z_][\w$]*\.)+[A-Z][\w$]*$/;

interface TypePrefix {
  type: string;
  rest: string;
}

/**
 * The exception type a line starts with. Strict by default: "Expected: 3"
 * must not make "Expected" a type, so the name has to look like one. A
 * Python traceback's last line is a type whatever its name (lenient).
 */
function typePrefix(line: string, lenient = false): TypePrefix | null {
  const m = TYPE_PREFIX.exec(line);
  const name = m?.[1];
  if (!m || !name) return null;
  // a bare "Failed" or "Error" is a reporter's placeholder (go-junit-report's message="Failed"), not a class
  if (m[0] === name && GENERIC_TYPES.has(name.toLowerCase())) return null;
  if (!lenient && !EXCEPTION_NAME.test(name) && !QUALIFIED_CLASS.test(name)) return null;
  return { type: name.slice(0, MAX_TYPE), rest: line.slice(m[0].length).trim() };
}

/** The reporter's type attribute, unless it is a placeholder; Node's "[ERR_X]" code is not part of the class. */
function cleanType(type: string | null | undefined): string | null {
  if (typeof type !== "string") return null;
  const t = type
    .slice(0, MAX_TYPE)
    .trim()
    .replace(/ \[[\w-]+\]$/, "");
  return t && !GENERIC_TYPES.has(t) ? t : null;
}

// ---------------------------------------------------------------------------
// Stack frames

interface Frame {
  text: string;
  framework: boolean;
}

/** Go and pytest name a frame's function on a line of its own: the scan carries it to the file line. */
interface ScanState {
  inGoroutine: boolean;
  goFunction: string | null;
  pyFunction: string | null;
}

const freshState = (): ScanState => ({ inGoroutine: false, goFunction: null, pyFunction: null });

/** Java, JavaScript and .NET all start with "at"; the rest tells them apart. */
const AT_FRAME = /^\s*at\s+(\S.*)$/;
const DOTNET_CALL = /^(.+?) in (.+?):line \d+$/;
const JS_CALL = /^(.+?) \((.+)\)$/;
const JS_LOCATION = /:\d+(?::\d+)?$|^(?:<anonymous>|native|index \d+)$/;
const JS_BARE = /^(?:\S+\.[A-Za-z]\w*|node:\S+):\d+(?::\d+)?$/;
/** pkg.Class.method(File.java:42), optionally logback's " ~[classes/:?]"; also .NET's Ns.Class.Method(Int32 x) */
const JVM_CALL = /^([^\s(]+)\(([^()]*)\)(?:\s+~?\[[^\]]*\])?$/;
const JVM_FILE = /^([\w$.-]+\.[A-Za-z]\w*)(?::\d+)?$/;
const PY_FILE_FRAME = /^\s*File "([^"]+)", line \d+(?:, in (.+))?$/;
/** pytest's long and short tracebacks: "tests/test_x.py:12: AssertionError", "tests/test_x.py:8: in helper" */
const PYTEST_LOCATION = /^(\S+\.py):\d+:(?:\s+(.*))?$/;
const PY_DEF = /^[\s>]*(?:async\s+)?def\s+(\w+)\s*\(/;
const GOROUTINE = /^goroutine \d+ \[/;
const GO_FILE_LINE = /^\s+(\S+\.go):\d+(?: \+0x[0-9a-fA-F]+)?\s*$/;
/** `go test` output: "    calc_test.go:23: expected 5, got 7" carries the message as well as the place */
const GO_TEST_LINE = /^\s*(\S+\.go):\d+: (.*)$/;
const RUBY_FRAME = /^\s*(?:#\s*)?(\S+\.rb):\d+(?::in [`'](.*)')?\s*$/;
const VITEST_FRAME = /^\s*❯\s+(?:(\S+)\s+)?(\S+?):\d+(?::\d+)?\s*$/;

// Framework and runtime code: frames there move with versions and say nothing about the bug.
const JVM_CLR_FRAMEWORK =
  /^(?:(?:java|javax|jdk|sun|com\.sun|kotlin)\.|org\.junit\.|junit\.framework\.|org\.testng\.|org\.opentest4j\.|org\.assertj\.|org\.hamcrest\.|org\.apache\.maven\.surefire\.|(?:worker\.)?org\.gradle\.|System\.|Microsoft\.|NUnit\.|Xunit\.)/;
const JS_FRAMEWORK = /^(?:node:|internal[\\/]|<anonymous>$|native$|index \d+$)|(?:^|[\\/])node_modules[\\/]/;
const PY_FRAMEWORK =
  /(?:^|[\\/])(?:site-packages|dist-packages|_pytest|pluggy|unittest)[\\/]|(?:^|[\\/])lib[\\/]python\d+(?:\.\d+)?[\\/]|^<frozen /i;
const GO_RUNTIME_FUNCTION = /^(?:runtime|testing|reflect)\.|^panic$/;
const GO_RUNTIME_FILE = /(?:^|[\\/])src[\\/](?:runtime|testing|reflect)[\\/]/;
const RUBY_FRAMEWORK = /[\\/]gems[\\/]|[\\/](?:rspec|minitest)[\w.-]*[\\/]|[\\/]lib[\\/]ruby[\\/]|[\\/]ruby[\\/]\d/;

/** "$$Lambda$14/0x0000000800c02a00" and "$$Lambda/0x..." differ between JVM runs. */
const JVM_LAMBDA = /\$\$Lambda[\w$/]*/g;
const ADDRESS = /\b0x[0-9a-fA-F]+\b/g;

function cleanFunctionName(fn: string): string {
  return fn
    .trim()
    .replace(/^async\s+/, "")
    .replace(JVM_LAMBDA, () => "$$Lambda")
    .replace(ADDRESS, () => "<hex>");
}

/** The file's name without directories, URL scheme, query, line or column: checkouts and temp dirs differ. */
function baseName(path: string): string {
  const clean = path
    .trim()
    .replace(/^file:\/\//, "")
    .replace(/[?#].*$/, "")
    .replace(/(?::\d+)+$/, "");
  return clean.slice(Math.max(clean.lastIndexOf("/"), clean.lastIndexOf("\\")) + 1);
}

function makeFrame(fn: string | null | undefined, file: string | null | undefined, framework: boolean): Frame | null {
  const name = fn ? cleanFunctionName(fn) : "";
  const base = file ? baseName(file) : "";
  if (!name && !base) return null;
  const text = name && base ? `${name} (${base})` : name || base;
  return { text: text.slice(0, MAX_FRAME_TEXT), framework };
}

/** .NET parameter lists are noise next to the method name (and keep Java and .NET frames alike). */
const stripParams = (fn: string): string => fn.replace(/\(.*\)$/, "");

function jvmFrame(fn: string, location: string): Frame | null {
  // Gradle's class-loader prefix "app//"; the lambda first, as its "/0x..." is no module separator
  const qualified = fn.replace(/^[\w.-]*\/\//, "").replace(JVM_LAMBDA, () => "$$Lambda");
  const framework = JVM_CLR_FRAMEWORK.test(qualified);
  const name = qualified.replace(/^[\w.$@-]+\//, ""); // module prefix "java.base/", "com.acme@1.2/"
  return makeFrame(name, JVM_FILE.exec(location)?.[1] ?? null, framework);
}

/** Java `at a.B.c(B.java:1)`, Node `at fn (/x.js:1:2)` / `at /x.js:1:2`, .NET `at A.B() in C:\x.cs:line 1`. */
function atFrame(line: string): Frame | null {
  const body = AT_FRAME.exec(line)?.[1]?.trimEnd();
  if (!body) return null;
  const dotnet = DOTNET_CALL.exec(body);
  if (dotnet) {
    const fn = stripParams(dotnet[1] ?? "");
    return makeFrame(fn, dotnet[2], JVM_CLR_FRAMEWORK.test(fn));
  }
  const js = JS_CALL.exec(body);
  if (js?.[1] && js[2] && JS_LOCATION.test(js[2])) return makeFrame(js[1], js[2], JS_FRAMEWORK.test(js[2]));
  const jvm = JVM_CALL.exec(body);
  if (jvm?.[1]) return jvmFrame(jvm[1], jvm[2] ?? "");
  if (JS_BARE.test(body)) return makeFrame(null, body, JS_FRAMEWORK.test(body));
  return null;
}

/** `File "/x.py", line 1, in fn`, or pytest's `x.py:1: ...` whose function is the last `def` shown above it. */
function pythonFrame(line: string, state: ScanState): Frame | null {
  const def = PY_DEF.exec(line);
  if (def?.[1]) {
    state.pyFunction = def[1];
    return null;
  }
  const file = PY_FILE_FRAME.exec(line);
  if (file?.[1]) return makeFrame(file[2], file[1], PY_FRAMEWORK.test(file[1]));
  const loc = PYTEST_LOCATION.exec(line);
  if (!loc?.[1]) return null;
  const rest = (loc[2] ?? "").trim();
  const fn = rest.startsWith("in ") ? rest.slice(3) : state.pyFunction;
  state.pyFunction = null;
  return makeFrame(fn, loc[1], PY_FRAMEWORK.test(loc[1]));
}

/** "github.com/acme/calc.(*T).Divide(0x1, ...)" → "github.com/acme/calc.(*T).Divide" */
function goFunctionName(line: string): string {
  let name = line
    .trim()
    .replace(/^created by /, "")
    .replace(/ in goroutine \d+$/, "");
  const open = name.lastIndexOf("(");
  if (name.endsWith(")") && open > 0) name = name.slice(0, open);
  return name;
}

/** `go test` lines, and panic dumps: after "goroutine N [...]:", a function line then a tab-indented file line. */
function goFrame(line: string, state: ScanState): Frame | null {
  const test = GO_TEST_LINE.exec(line);
  if (test?.[1]) return makeFrame(null, test[1], false);
  if (GOROUTINE.test(line)) {
    state.inGoroutine = true;
    return null;
  }
  if (!state.inGoroutine) return null;
  const file = GO_FILE_LINE.exec(line)?.[1];
  if (!file) {
    state.goFunction = /^\S/.test(line) ? goFunctionName(line) : null;
    return null;
  }
  const fn = state.goFunction ?? "";
  state.goFunction = null;
  const framework = GO_RUNTIME_FUNCTION.test(fn) || GO_RUNTIME_FILE.test(file);
  return makeFrame(fn.slice(fn.lastIndexOf("/") + 1), file, framework); // package path is a directory prefix
}

function rubyFrame(line: string): Frame | null {
  const m = RUBY_FRAME.exec(line);
  return m?.[1] ? makeFrame(m[2], m[1], RUBY_FRAMEWORK.test(m[1])) : null;
}

/** Vitest's own reporter format: " ❯ src/sum.test.ts:5:17" or " ❯ fn src/x.ts:3:9". */
function vitestFrame(line: string): Frame | null {
  const m = VITEST_FRAME.exec(line);
  return m?.[2] ? makeFrame(m[1], m[2], JS_FRAMEWORK.test(m[2])) : null;
}

function parseFrame(line: string, state: ScanState): Frame | null {
  if (line.length > MAX_FRAME_LINE) return null;
  return atFrame(line) ?? pythonFrame(line, state) ?? goFrame(line, state) ?? rubyFrame(line) ?? vitestFrame(line);
}

/** Own frames in the order given, a run of the same frame (recursion, repeated t.Errorf) counted once. */
function ownFrames(lines: readonly string[]): string[] {
  const state = freshState();
  const out: string[] = [];
  for (const line of lines) {
    const frame = parseFrame(line, state);
    if (frame && !frame.framework && frame.text !== out[out.length - 1]) out.push(frame.text);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Messages

interface MessagePart {
  type: string | null;
  /** the message's raw lines, the type prefix taken off the first */
  lines: string[];
  sample: string;
}

const EMPTY_PART: MessagePart = { type: null, lines: [], sample: "" };

/** Lines that end the message even though they are not frames themselves. */
const STACK_HEADER =
  /^\s*(?:Traceback \(most recent call last\):|goroutine \d+ \[|Caused by:|Suppressed:|--- End of |\.\.\. \d+ (?:more|common frames omitted)|❯ |Stack ?trace:)/i;
/** `go test -v` chatter around the message. */
const GO_NOISE = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\b|--- (?:FAIL|PASS|SKIP):)/;
const PY_SIGNAL = /^(?:Traceback \(most recent call last\):|\s*File "[^"]+", line \d+|E {2,}\S|\S+\.py:\d+: )/;
const PYTEST_ERROR = /^E(?:\s|$)/;

function isStackLine(line: string): boolean {
  return line.length <= MAX_FRAME_LINE && (STACK_HEADER.test(line) || parseFrame(line, freshState()) !== null);
}

/** The type off the first line, if it names one; the sample is that line as it was. */
function withType(raw: readonly string[], lenient = false): MessagePart {
  const lines = raw.map((l) => l.trim()).filter(Boolean);
  const first = lines[0];
  if (first === undefined) return EMPTY_PART;
  const sample = first.slice(0, MAX_MESSAGE);
  const prefix = typePrefix(first, lenient);
  if (!prefix) return { type: null, lines, sample };
  return { type: prefix.type, lines: [prefix.rest, ...lines.slice(1)], sample };
}

/** The non-empty lines before the stack starts (Java, JS, .NET, Go, Ruby): the message comes first. */
function leadingMessage(lines: readonly string[]): MessagePart {
  const found: string[] = [];
  let budget = MESSAGE_SCAN_CHARS;
  for (const line of lines) {
    if (budget <= 0) break;
    budget -= line.length + 1;
    if (!line.trim() || GO_NOISE.test(line)) continue;
    const goTest = line.length <= MAX_FRAME_LINE ? GO_TEST_LINE.exec(line) : null;
    if (goTest) {
      if (found.length === 0) found.push(goTest[2] ?? "");
      break;
    }
    if (isStackLine(line)) break;
    found.push(line.slice(0, MESSAGE_SCAN_CHARS));
  }
  return withType(found);
}

/** pytest's "E   ..." lines of the last traceback entry: the final exception, already phrased as a message. */
function lastPytestErrorBlock(lines: readonly string[]): string[] {
  let end = lines.length - 1;
  while (end >= 0 && !PYTEST_ERROR.test(lines[end] ?? "")) end--;
  let start = end;
  while (start > 0 && PYTEST_ERROR.test(lines[start - 1] ?? "")) start--;
  return end < 0 ? [] : lines.slice(start, end + 1).map((l) => l.replace(/^E\s*/, ""));
}

/**
 * Python puts the message last. pytest's E block if there is one; else the
 * last unindented "SomeError: ..." line and what follows it (a multi-line
 * message); else the last unindented line, whatever its type is called.
 */
function trailingPythonMessage(lines: readonly string[]): MessagePart {
  const block = lastPytestErrorBlock(lines);
  if (block.length > 0) return withType(block);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    if (/^\S/.test(line) && typePrefix(line)) return withType(lines.slice(i).filter((l) => !isStackLine(l)));
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? "";
    if (/^\S/.test(line) && !isStackLine(line)) return withType([line], true);
  }
  return EMPTY_PART;
}

/** pytest names the type on the last location line: "tests/test_x.py:12: AssertionError". */
function pytestType(lines: readonly string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const loc = PYTEST_LOCATION.exec(lines[i] ?? "");
    if (loc) return typePrefix((loc[2] ?? "").trim())?.type ?? null;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Text windows

const LINE_BREAK = /\r?\n|\r/;

/** The first 8 KiB, at most 64 lines. */
function headLines(text: string): string[] {
  return text.slice(0, FRAME_SCAN_CHARS).replace(ANSI, "").split(LINE_BREAK, FRAME_SCAN_LINES);
}

/** The last 8 KiB, at most 64 lines, without the line the cut fell in: Python's innermost frames are last. */
function tailLines(text: string): string[] {
  const cut = text.length > FRAME_SCAN_CHARS;
  const lines = text.slice(-FRAME_SCAN_CHARS).replace(ANSI, "").split(LINE_BREAK);
  if (cut) lines.shift();
  return lines.slice(-FRAME_SCAN_LINES);
}

interface Analysis extends MessagePart {
  frames: string[];
}

function analyse(text: string): Analysis {
  if (!text) return { ...EMPTY_PART, frames: [] };
  const head = headLines(text);
  const tail = tailLines(text);
  if (head.some((l) => PY_SIGNAL.test(l)) || tail.some((l) => PY_SIGNAL.test(l))) {
    const part = trailingPythonMessage(tail);
    // innermost frames are the last ones in a Python traceback
    return { ...part, type: part.type ?? pytestType(tail), frames: ownFrames(tail).slice(-MAX_FRAMES) };
  }
  return { ...leadingMessage(head), frames: ownFrames(head).slice(0, MAX_FRAMES) };
}

const asText = (value: unknown): string => (typeof value === "string" ? value : "");

const isGenericMessage = (message: string): boolean =>
  message.length < 16 && GENERIC_MESSAGES.has(message.trim().toLowerCase());

/**
 * The signature of one failure. The message attribute wins over the text's
 * first lines when it says something; the frames always come from the text
 * (or from the message when only it carries a stack, as jest-junit's does).
 */
export function failureSignature(input: FailureInput): FailureSignature {
  const fromText = analyse(asText(input?.text));
  const message = asText(input?.message);
  const fromMessage = isGenericMessage(message) ? null : analyse(message);
  const part = fromMessage && (fromMessage.lines.length > 0 || fromMessage.type) ? fromMessage : fromText;
  const type = cleanType(input?.type) ?? part.type ?? fromText.type;
  const normalised = normaliseMessage(part.lines.join("\n"));
  const frames = fromText.frames.length > 0 ? fromText.frames : (fromMessage?.frames ?? []);
  const canonical = `${type ?? ""}\n${normalised}\n${frames.join("\n")}`;
  const hash = createHash("sha256").update(canonical).digest("hex").slice(0, 16);
  return { hash, type, message: normalised, frames, sample: part.sample };
}
