import { positiveIntParam, textParam } from "../../ui/search-params";

/**
 * The repository screen's URL: the open folder, the list's search and filters, its page and the
 * selected cases, so a link or a reload shows the same thing.
 */
export interface RepositorySearch {
  folder?: number;
  q?: string;
  tag?: number;
  state?: number;
  template?: number;
  /** custom field name (`custom_…`) and the value it must have */
  field?: string;
  value?: string;
  page?: number;
  /** selected case ids */
  selected?: number[];
}

const MAX_SELECTED = 100;

/** Ids from the URL's "3,5" or, when the app navigates, the array it passed. */
function idListParam(value: unknown): number[] | undefined {
  const parts = Array.isArray(value)
    ? value.map(String)
    : typeof value === "string" || typeof value === "number"
      ? String(value).split(",")
      : [];
  const ids = parts
    .map((part) => positiveIntParam(part.trim(), 2_147_483_647))
    .filter((id): id is number => id !== undefined);
  const unique = [...new Set(ids)].slice(0, MAX_SELECTED);
  return unique.length > 0 ? unique : undefined;
}

export function validateRepositorySearch(search: Record<string, unknown>): RepositorySearch {
  const field = textParam(search.field, 71);
  return {
    folder: positiveIntParam(search.folder, 2_147_483_647),
    q: textParam(search.q, 255),
    tag: positiveIntParam(search.tag, 2_147_483_647),
    state: positiveIntParam(search.state, 2_147_483_647),
    template: positiveIntParam(search.template, 2_147_483_647),
    field: field && /^custom_[A-Za-z0-9_]{1,64}$/.test(field) ? field : undefined,
    value: textParam(search.value, 255),
    page: positiveIntParam(search.page),
    selected: idListParam(search.selected),
  };
}
