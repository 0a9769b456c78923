/** Attribute and text value rules of Testmo's CLI (cli.md §5.3, §5.5). */

// Testmo accepts a plain decimal only: no exponent, no unit, no thousands separator.
const PLAIN_DECIMAL = /^[+-]?(\d*\.)?\d+$/;
const PLAIN_INTEGER = /^[+-]?\d+$/;

/**
 * Seconds as written in `time` / `duration` to integer microseconds. Only the
 * first comma counts as a decimal point (`12,5` is 12.5 s, `1,234,5` is invalid).
 */
export function parseSecondsToMicros(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const normalized = raw.trim().replace(",", ".");
  if (!PLAIN_DECIMAL.test(normalized)) return undefined;
  const seconds = Number(normalized);
  if (!(seconds >= 0)) return undefined;
  return Math.round(seconds * 1e6) + 0; // + 0 turns -0 into 0
}

/** `line` and `assertions`: an integer >= 0, else absent (`10.5` and `x` are dropped). */
export function parseNonNegativeInteger(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (!PLAIN_INTEGER.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= 0 && Number.isSafeInteger(value) ? value + 0 : undefined;
}

/**
 * Numeric character references (`&#65;`, `&#x42;`) reach us from the XML
 * reader as MARK + `#65;` instead of being decoded, because Testmo's CLI
 * leaves them literal and hashes them that way (cli.md §5.3, §10). Keeping
 * a private-use marker instead of a plain `&` lets us tell a real reference
 * from an escaped `&amp;#65;`, which must stay literal everywhere.
 */
export const REFERENCE_MARK = "\uE000";
const MARKED_REFERENCE = /\uE000(#[^;\uE000]*);/g;

/** The official, hashed form: every reference written back literally. */
export function toOfficialForm(value: string): string {
  return value.includes(REFERENCE_MARK) ? value.replaceAll(REFERENCE_MARK, "&") : value;
}

/** The display form: valid references decoded, invalid ones left literal as Testmo does. */
export function decodeReferences(value: string): string {
  if (!value.includes(REFERENCE_MARK)) return value;
  return value
    .replace(MARKED_REFERENCE, (_match, reference: string) => decodeReference(reference) ?? `&${reference};`)
    .replaceAll(REFERENCE_MARK, "&");
}

function decodeReference(reference: string): string | undefined {
  let codePoint = Number.NaN;
  if (/^#x[0-9a-fA-F]+$/.test(reference)) codePoint = Number.parseInt(reference.slice(2), 16);
  else if (/^#[0-9]+$/.test(reference)) codePoint = Number.parseInt(reference.slice(1), 10);
  return isXmlChar(codePoint) ? String.fromCodePoint(codePoint) : undefined;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** A trimmed attribute in both forms: what we show and what Testmo hashes. */
export interface DualValue {
  display: string;
  official: string;
}

export function readAttribute(raw: string | undefined): DualValue {
  const trimmed = (raw ?? "").trim();
  const display = decodeReferences(trimmed).trim();
  // A name made only of whitespace references (`&#32;`) is non-empty for Testmo; keep it visible.
  return { display: display === "" ? toOfficialForm(trimmed) : display, official: toOfficialForm(trimmed) };
}
