/**
 * How the router reads and writes the query string: plain text (`?status=3&name=cart`), not TanStack's
 * default JSON (`?status=%223%22`), so addresses stay readable, shareable and easy for scripts to build.
 * Every value arrives as a string; each route's `validateSearch` turns it into what the page needs and
 * drops what is invalid. Empty values are left out; arrays are written comma-separated.
 */
export function parseSearch(searchStr: string): Record<string, string> {
  const search: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(searchStr.startsWith("?") ? searchStr.slice(1) : searchStr)) {
    search[key] = value;
  }
  return search;
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(","));
    } else {
      params.set(key, typeof value === "object" ? JSON.stringify(value) : String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
