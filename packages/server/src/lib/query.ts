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

export function csvIds(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  return value.split(",").map((part) => Number.parseInt(part.trim(), 10));
}

export function csvNames(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

export function queryBoolean(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value === "true" || value === "1";
}

/** A query datetime normalised to the stored form, so string comparison orders correctly. */
export function queryDatetime(value: string | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}

/** The requested expand names; unknown names are a 422 naming the allowed ones. */
export function expandNames<T extends string>(value: string | undefined, allowed: readonly T[]): Set<T> {
  const names = csvNames(value) ?? [];
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
