import { notFound } from "@tanstack/react-router";

/** Largest id the API accepts (32-bit). */
const MAX_ID = 2_147_483_647;

/** A path segment as an id (a whole number 1..2^31−1), else null. */
export function parseId(value: string | undefined): number | null {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ID ? id : null;
}

/**
 * `params` of a route whose path has a numeric id (`$projectId`): components get a number, an invalid id
 * (`/projects/abc`) is the not-found page. Links pass the id as a number: `params={{ projectId: 1 }}`.
 */
export function idParams<K extends string>(name: K) {
  return {
    parse: (raw: Record<K, string>): Record<K, number> => {
      const id = parseId(raw[name]);
      if (id === null) throw notFound();
      return { [name]: id } as Record<K, number>;
    },
    stringify: (params: Record<K, number>): Record<K, string> =>
      ({ [name]: String(params[name]) }) as Record<K, string>,
  };
}

/**
 * Where to go after signing in: a path of this site (`/…`, not `//host` nor `/\host`), never back to the
 * sign-in page; anything else goes to the projects.
 */
export function safeRedirect(target: unknown): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return "/projects";
  }
  // browsers drop tabs and newlines in URLs ("/\t/evil.example" would become "//evil.example")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return "/projects";
  if (/^\/sign-in(?:[/?#]|$)/.test(target)) return "/projects";
  return target;
}

/** `?redirect=` of the sign-in page: kept only when it is a string. */
export function validateRedirectSearch(search: Record<string, unknown>): { redirect?: string } {
  return typeof search.redirect === "string" && search.redirect !== "" ? { redirect: search.redirect } : {};
}
