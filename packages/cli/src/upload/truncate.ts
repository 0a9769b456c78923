/**
 * Testmo's client-side truncation rules (cli.md §7), reproduced so that values line up with
 * those uploaded by the official CLI. Lengths are UTF-16 units, like theirs.
 */
export const STRING_LIMIT = 750;
export const NOTE_LIMIT = 80;
export const TEXT_LIMIT = 16_384;
const TEXT_KEEP = 8182;
const TEXT_ELISION = "...\n\n[...]\n\n...";

export function truncateString(value: string, limit = STRING_LIMIT): string {
  return value.length > limit ? value.slice(0, limit) : value;
}

/** text and console values: keep the head and the tail, elide the middle (16 379 units). */
export function truncateText(value: string): string {
  if (value.length <= TEXT_LIMIT) return value;
  return value.slice(0, TEXT_KEEP) + TEXT_ELISION + value.slice(-TEXT_KEEP);
}

/** html values are cut hard, as Testmo does. */
export function truncateHtml(value: string): string {
  return truncateString(value, TEXT_LIMIT);
}
