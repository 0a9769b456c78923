/**
 * ANSI escape codes in test output (console fields) → text segments with CSS classes, for React to render as
 * `<span className>` TEXT. Nothing here produces HTML: the output is untrusted, and every character that is not
 * part of an escape sequence ends up in a segment's `text` as it was.
 *
 * Understood: SGR (`ESC [ … m`) bold, dim, italic, underline, inverse, strikethrough, the 8/16 colours of
 * foreground and background, 256-colour (`38;5;n`) and true colour (`38;2;r;g;b`) mapped to the nearest of the 16
 * (so both themes can style them), and every reset. Removed: every other CSI sequence (cursor moves, erase),
 * OSC sequences (titles, `ESC ] 8` hyperlinks: their text stays), other escapes (`ESC 7`, `ESC ( B`), and C0 control
 * characters except tab and newline (`\r\n` becomes `\n`).
 */

export interface AnsiSegment {
  text: string;
  /** space-separated `ansi-…` classes; "" for plain text */
  className: string;
}

interface Style {
  fg: number | null;
  bg: number | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
  strike: boolean;
}

const PLAIN: Style = {
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
  strike: false,
};

/** xterm's default 16 colours, to map 256-colour and true-colour codes to the nearest one. */
const PALETTE: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [205, 0, 0],
  [0, 205, 0],
  [205, 205, 0],
  [0, 0, 238],
  [205, 0, 205],
  [0, 205, 205],
  [229, 229, 229],
  [127, 127, 127],
  [255, 0, 0],
  [0, 255, 0],
  [255, 255, 0],
  [92, 92, 255],
  [255, 0, 255],
  [0, 255, 255],
  [255, 255, 255],
];

export function nearestColor(r: number, g: number, b: number): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  PALETTE.forEach(([pr, pg, pb], index) => {
    const distance = (r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index;
    }
  });
  return best;
}

/** A 256-colour index as one of the 16. */
export function color256(n: number): number | null {
  if (!Number.isInteger(n) || n < 0 || n > 255) return null;
  if (n < 16) return n;
  if (n >= 232) {
    const level = 8 + (n - 232) * 10;
    return nearestColor(level, level, level);
  }
  const cube = n - 16;
  const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
  return nearestColor(level(Math.floor(cube / 36)), level(Math.floor(cube / 6) % 6), level(cube % 6));
}

/** Applies one SGR parameter list to a style (a copy). */
function applySgr(style: Style, params: number[]): Style {
  const next = { ...style };
  for (let i = 0; i < params.length; i++) {
    const code = params[i]!;
    if (code === 0) Object.assign(next, PLAIN);
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 7) next.inverse = true;
    else if (code === 9) next.strike = true;
    else if (code === 22) {
      next.bold = false;
      next.dim = false;
    } else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code === 27) next.inverse = false;
    else if (code === 29) next.strike = false;
    else if (code >= 30 && code <= 37) next.fg = code - 30;
    else if (code === 39) next.fg = null;
    else if (code >= 40 && code <= 47) next.bg = code - 40;
    else if (code === 49) next.bg = null;
    else if (code >= 90 && code <= 97) next.fg = code - 90 + 8;
    else if (code >= 100 && code <= 107) next.bg = code - 100 + 8;
    else if (code === 38 || code === 48) {
      // 38;5;n or 38;2;r;g;b (same for 48): an incomplete one ends the list
      const mode = params[i + 1];
      let color: number | null = null;
      if (mode === 5 && i + 2 < params.length) {
        color = color256(params[i + 2]!);
        i += 2;
      } else if (mode === 2 && i + 4 < params.length) {
        const [r, g, b] = [params[i + 2]!, params[i + 3]!, params[i + 4]!].map((v) => Math.min(255, Math.max(0, v)));
        color = nearestColor(r!, g!, b!);
        i += 4;
      } else {
        break;
      }
      if (code === 38) next.fg = color;
      else next.bg = color;
    }
    // anything else (blink, fonts, …) is ignored
  }
  return next;
}

function classOf(style: Style): string {
  const classes: string[] = [];
  if (style.fg !== null) classes.push(`ansi-fg-${style.fg}`);
  if (style.bg !== null) classes.push(`ansi-bg-${style.bg}`);
  if (style.bold) classes.push("ansi-bold");
  if (style.dim) classes.push("ansi-dim");
  if (style.italic) classes.push("ansi-italic");
  if (style.underline) classes.push("ansi-underline");
  if (style.strike) classes.push("ansi-strike");
  if (style.inverse) classes.push("ansi-inverse");
  return classes.join(" ");
}

const ESC = "\u001b";
const CSI8 = "\u009b";

/** Control characters removed from the text (all C0 but tab and newline, DEL, and C1 controls). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009a\u009c-\u009f]/g;

/** Splits `input` into styled segments (adjacent segments of the same style merged). */
export function parseAnsi(input: string): AnsiSegment[] {
  const text = input.replace(/\r\n/g, "\n");
  const segments: AnsiSegment[] = [];
  let style: Style = PLAIN;
  let className = "";
  let buffer = "";

  const flush = () => {
    if (buffer === "") return;
    const clean = buffer.replace(CONTROL, "");
    buffer = "";
    if (clean === "") return;
    const last = segments[segments.length - 1];
    if (last && last.className === className) last.text += clean;
    else segments.push({ text: clean, className });
  };

  let i = 0;
  while (i < text.length) {
    const at = nextEscape(text, i);
    if (at === -1) {
      buffer += text.slice(i);
      break;
    }
    buffer += text.slice(i, at);
    const isCsi = text[at] === CSI8 || text[at + 1] === "[";
    if (isCsi) {
      // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E
      let j = at + (text[at] === CSI8 ? 1 : 2);
      const paramsStart = j;
      while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j++;
      const paramsEnd = j;
      while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
      if (j >= text.length) {
        i = text.length; // an unfinished sequence at the end: dropped
        break;
      }
      const final = text[j];
      if (final === "m" && paramsEnd === j) {
        const raw = text.slice(paramsStart, paramsEnd);
        const params = raw === "" ? [0] : raw.split(/[;:]/).map((p) => (p === "" ? 0 : Number.parseInt(p, 10)));
        flush();
        style = applySgr(
          style,
          params.map((p) => (Number.isFinite(p) ? p : -1)),
        );
        className = classOf(style);
      }
      i = j + 1;
      continue;
    }
    const kind = text[at + 1];
    if (kind === "]") {
      // OSC: up to BEL or ESC \ (String Terminator); unterminated: to the end
      let j = at + 2;
      while (j < text.length && text[j] !== "\u0007" && !(text[j] === ESC && text[j + 1] === "\\")) j++;
      i = j >= text.length ? text.length : text[j] === "\u0007" ? j + 1 : j + 2;
      continue;
    }
    // any other escape: ESC, intermediate bytes 0x20–0x2F (`ESC ( B`), one final character
    let j = at + 1;
    while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
    i = Math.min(text.length, j + 1);
  }
  flush();
  return segments;
}

function nextEscape(text: string, from: number): number {
  const esc = text.indexOf(ESC, from);
  const csi = text.indexOf(CSI8, from);
  if (esc === -1) return csi;
  if (csi === -1) return esc;
  return Math.min(esc, csi);
}

/** The text without any escape sequence (for copying, searching, titles). */
export function stripAnsi(input: string): string {
  return parseAnsi(input)
    .map((segment) => segment.text)
    .join("");
}
