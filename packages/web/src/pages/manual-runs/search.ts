/** `?state=open|closed|all&page=N&create=1` of the manual runs page (open runs by default). */
export interface ManualRunsSearch {
  state?: "closed" | "all";
  page?: number;
  /** the create form is open (a link can open it) */
  create?: 1;
}

export function validateManualRunsSearch(search: Record<string, unknown>): ManualRunsSearch {
  const result: ManualRunsSearch = {};
  if (search.state === "closed" || search.state === "all") result.state = search.state;
  const page = Number(search.page);
  if (Number.isInteger(page) && page > 1) result.page = page;
  if (search.create === "1" || search.create === 1) result.create = 1;
  return result;
}
