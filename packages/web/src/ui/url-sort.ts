import type { SortingState } from "@tanstack/react-table";

/**
 * Sorting held in the URL (`sort` + `order`) for a DataTable with `manualSorting`: the table reports a
 * click as a new SortingState; this turns it into the next URL sort. A click on the sorted column flips
 * its order; a click on another column sorts by it in that column's first order (numbers and times
 * descending, names ascending).
 */
export interface UrlSort<S extends string> {
  sort: S;
  order: "asc" | "desc";
}

export function toSortingState<S extends string>(current: UrlSort<S>): SortingState {
  return [{ id: current.sort, desc: current.order === "desc" }];
}

export function nextUrlSort<S extends string>(
  current: UrlSort<S>,
  next: SortingState,
  firstOrder: (sort: S) => "asc" | "desc",
): UrlSort<S> {
  const clicked = (next[0]?.id ?? current.sort) as S;
  if (clicked === current.sort) return { sort: clicked, order: current.order === "desc" ? "asc" : "desc" };
  return { sort: clicked, order: firstOrder(clicked) };
}

/** The URL params of a sort: defaults left out (`sort` when it is the default, `order` when it is the column's first). */
export function sortParams<S extends string>(
  chosen: UrlSort<S>,
  defaultSort: S,
  firstOrder: (sort: S) => "asc" | "desc",
): { sort: S | undefined; order: "asc" | "desc" | undefined } {
  return {
    sort: chosen.sort === defaultSort ? undefined : chosen.sort,
    order: chosen.order === firstOrder(chosen.sort) ? undefined : chosen.order,
  };
}
