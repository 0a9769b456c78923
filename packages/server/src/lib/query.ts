import { DEFAULT_PER_PAGE, type PageEnvelope } from "@assay/api";
import { invalidField } from "../errors.js";

export interface PageRequest {
  page: number;
  perPage: number;
  offset: number;
}

export function pageRequest(query: { page?: number; per_page?: number }): PageRequest {
  const page = query.page ?? 1;
  const perPage = query.per_page ?? DEFAULT_PER_PAGE;
  return { page, perPage, offset: (page - 1) * perPage };
}

/**
 * Testmo's page envelope. An empty result has `page` and `last_page` null; a
 * page past the end returns an empty `result` with the true `last_page`.
 */
export function pageEnvelope<T>(
  request: PageRequest,
  total: number,
  result: T[],
  expands?: Record<string, unknown[]>,
): PageEnvelope<T> {
  const lastPage = total === 0 ? null : Math.ceil(total / request.perPage);
  const page = total === 0 ? null : request.page;
  const envelope: PageEnvelope<T> = {
    page,
    prev_page: page !== null && page > 1 ? Math.min(page - 1, lastPage ?? 1) : null,
    next_page: page !== null && lastPage !== null && page < lastPage ? page + 1 : null,
    last_page: lastPage,
    per_page: request.perPage,
    total,
    result,
  };
  if (expands) envelope.expands = expands;
  return envelope;
}

/** At most this many values in one list parameter (ids, tags): more is a 422 that says so. */
export const MAX_LIST_VALUES = 1000;

function listValues(name: string, value: string): string[] {
  const parts = value.split(",");
  if (parts.length > MAX_LIST_VALUES) {
    throw invalidField(
      name,
      `The ${name} parameter lists ${parts.length} values; at most ${MAX_LIST_VALUES} are allowed. Split the request.`,
    );
  }
  return parts.map((part) => part.trim());
}

/** `name`'s comma-separated ids (the schema's `id-list` format has checked each one). */
export function csvIds(value: string | undefined, name = "list"): number[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set(listValues(name, value).map((part) => Number.parseInt(part, 10)))];
}

/** `name`'s comma-separated names, blanks dropped; a list of only blanks (`tags=,`) is a 422. */
export function csvNames(value: string | undefined, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const names = [...new Set(listValues(name, value).filter(Boolean))];
  if (names.length === 0) {
    throw invalidField(name, `The ${name} parameter names nothing; give comma-separated names, e.g. ${name}=a,b.`);
  }
  return names;
}

export function queryBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value === "true" || value === "1";
}

/** RFC 3339 as the `date-time` format accepts it: `T`, `t` or a space; `Z`, `z`, `±hh`, `±hhmm` or `±hh:mm`. */
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt\s](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/;
/** The instants whose stored form (`toISOString`) is `YYYY-…`, so that text comparison orders them. */
const EARLIEST = new Date("0000-01-01T00:00:00.000Z").getTime();
const LATEST = new Date("9999-12-31T23:59:59.999Z").getTime();

/**
 * A date-time normalised to the stored form (UTC, milliseconds), or null when it
 * is not one or falls outside years 0000–9999 in UTC. A leap second (`:60`,
 * which JavaScript dates cannot hold) counts as `:59.999`, the last instant
 * before the next minute; digits beyond milliseconds are dropped.
 */
export function normaliseDatetime(value: string): string | null {
  const m = DATETIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[];
  const leap = second === 60;
  const millis = leap ? 999 : Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  date.setUTCHours(hour!, minute!, leap ? 59 : second!, millis);
  // Out-of-range fields (month 13, 31 April, hour 24) roll over: then the date is not one.
  const rolled = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()];
  if (rolled.some((v, i) => v !== [month, day, hour, minute][i])) return null;
  const offsetMinutes = m[8] ? (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10] ?? 0)) : 0;
  const time = date.getTime() - offsetMinutes * 60_000;
  return time >= EARLIEST && time <= LATEST ? new Date(time).toISOString() : null;
}

/** A query date-time normalised to the stored form, so string comparison orders correctly; else a 422. */
export function queryDatetime(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const normalised = normaliseDatetime(value);
  if (normalised === null) {
    throw invalidField(
      name,
      `The ${name} parameter must be a date-time from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z in UTC, with a zone, e.g. 2024-05-01T00:00:00Z (it is ${JSON.stringify(value.slice(0, 60))}).`,
    );
  }
  return normalised;
}

/** The requested expand names; unknown names are a 422 naming the allowed ones. */
export function expandNames<T extends string>(value: string | undefined, allowed: readonly T[]): Set<T> {
  // Lenient: an empty `expands=` (some clients send one) asks for nothing.
  const names = value === undefined ? [] : listValues("expands", value).filter(Boolean);
  const unknown = names.filter((n) => !(allowed as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw invalidField(
      "expands",
      `Unknown expands value "${unknown.join(", ")}". Allowed: ${allowed.length ? allowed.join(", ") : "none"}.`,
    );
  }
  return new Set(names as T[]);
}

/** `table:column` sort → column, with the endpoint's default. */
export function sortColumn<T extends string>(value: string | undefined, fallback: T): T {
  return (value?.split(":")[1] ?? fallback) as T;
}

export function flag(value: number): boolean {
  return value === 1;
}

export function parseJson<T>(text: string | null, fallback: T): T {
  return text ? (JSON.parse(text) as T) : fallback;
}
