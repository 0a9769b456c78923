/**
 * The one way the UI talks to the server: Assay's public API under `/api/v1` (plus its `/api/v1/x/`
 * extension), with the session cookie. Every page's data hooks call `api.get/post/…`; nothing else uses fetch.
 *
 * - Writes (POST/PUT/PATCH/DELETE) carry `X-CSRF-Token` from the session (the browser adds `Origin`).
 * - Errors become an `ApiError` with the status, the server's `message` and its field messages.
 * - A 401 means the session is gone: the registered handler sends the user to sign in and back.
 *
 * Request and response types come from `@assay/api`, imported with `import type` only: its runtime
 * (TypeBox schemas) must not end up in the bundle.
 */

export const API_BASE = "/api/v1";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface RequestOptions {
  /** Query parameters; null, undefined and "" are left out, arrays become comma-separated lists. */
  query?: Record<string, QueryValue>;
  /** A JSON body. */
  body?: unknown;
  signal?: AbortSignal;
  /** Whether a 401 sends the user to sign in (default). Off for the auth endpoints themselves. */
  redirectOn401?: boolean;
}

/** A failed request: the HTTP status (0 when the server could not be reached) and what the server said. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
    /** Field messages by field name (dotted paths such as `tests.3.key`), from the error body's `errors`. */
    readonly fieldErrors: Readonly<Record<string, readonly string[]>> = {},
    /** Seconds to wait before trying again (`Retry-After` of a 429 or 503), when the server said. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** The messages of one field, joined, or undefined: for `aria-describedby` texts under inputs. */
  field(name: string): string | undefined {
    const messages = this.fieldErrors[name];
    return messages && messages.length > 0 ? messages.join(" ") : undefined;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** Remembers the session's CSRF token (from sign-in or GET /x/auth/session); null after sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** What to do when a request answers 401 (the app sends the user to /sign-in?redirect=<here>). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!path.startsWith("/")) throw new Error(`API paths start with "/": ${path}`);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(","));
    } else {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ""}`;
}

const WRITES: ReadonlySet<Method> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (WRITES.has(method) && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, "The server cannot be reached. Check your connection, then try again.");
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
  const error = await readError(response);
  if (error.status === 401 && options.redirectOn401 !== false) reportUnauthorized();
  throw error;
}

/** `{message, errors}` of the API's error contract; anything else (a proxy's HTML page) by its status. */
async function readError(response: Response): Promise<ApiError> {
  return errorFromBody(
    response.status,
    response.statusText,
    await response.text(),
    response.headers.get("retry-after"),
  );
}

/** The same from an answer's parts (uploads too: see api/upload.ts). */
export function errorFromBody(status: number, statusText: string, text: string, retryAfterHeader: string | null) {
  let message = `The server answered ${status}${statusText ? ` ${statusText}` : ""}.`;
  let fieldErrors: Record<string, string[]> = {};
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === "object") {
      const { message: text, errors } = body as { message?: unknown; errors?: unknown };
      if (typeof text === "string" && text !== "") message = text;
      if (errors && typeof errors === "object") {
        fieldErrors = Object.fromEntries(
          Object.entries(errors as Record<string, unknown>).map(([field, value]) => [
            field,
            (Array.isArray(value) ? value : [value]).map(String),
          ]),
        );
      }
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(status, message, fieldErrors, retryAfter(retryAfterHeader));
}

/** A 401 on any request (uploads included) sends the user to sign in. */
export function reportUnauthorized(): void {
  unauthorizedHandler?.();
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date. */
export function retryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("PUT", path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("PATCH", path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options),
};
