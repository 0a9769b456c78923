/**
 * Readers for URL search params in `validateSearch`: whatever arrives (the router parses JSON-looking
 * values: `?page=2` is a number, `?name=123` too) becomes a valid value or undefined (the default, left
 * out of the URL).
 */

export function enumParam<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A whole number from 1 to `max`. */
export function positiveIntParam(value: unknown, max = 1_000_000): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isInteger(number) && number >= 1 && number <= max ? number : undefined;
}

/** A non-empty text (numbers and booleans the router parsed become text again), at most `max` characters. */
export function textParam(value: unknown, max = 750): string | undefined {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return undefined;
  const text = String(value);
  return text.trim() === "" ? undefined : text.slice(0, max);
}

/** "asc" or "desc". */
export function orderParam(value: unknown): "asc" | "desc" | undefined {
  return enumParam(value, ["asc", "desc"] as const);
}
