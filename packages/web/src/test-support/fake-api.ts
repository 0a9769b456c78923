import type { Project, WebSession } from "@assay/api";
import { vi } from "vitest";

/**
 * A stand-in for the server in component tests: `fetch` answers from a table of
 * `"METHOD /api/v1/path"` → answer (or a function of the request), and records every call.
 * An unlisted request fails the test with a 404 that names it.
 */
export interface FakeCall {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeRoute = FakeAnswer | ((call: FakeCall) => FakeAnswer | Promise<FakeAnswer>);

export function json(body: unknown, status = 200, headers?: Record<string, string>): FakeAnswer {
  return { status, body, headers };
}

export function failure(
  status: number,
  message: string,
  errors?: Record<string, string[]>,
  headers?: Record<string, string>,
): FakeAnswer {
  return { status, body: errors ? { message, errors } : { message }, headers };
}

export const noContent: FakeAnswer = { status: 204 };

export function fakeApi(routes: Record<string, FakeRoute>) {
  const calls: FakeCall[] = [];
  const table = { ...routes };
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://assay.test");
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const call: FakeCall = {
      method: (init.method ?? "GET").toUpperCase(),
      path: url.pathname,
      search: url.searchParams,
      headers,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const route = table[`${call.method} ${call.path}`];
    const answer = route === undefined ? unlisted(call) : typeof route === "function" ? await route(call) : route;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json", ...answer.headers },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return {
    calls,
    /** Changes or adds answers while the test runs (e.g. the session expires). */
    set(more: Record<string, FakeRoute>) {
      Object.assign(table, more);
    },
    /** The calls of one endpoint, e.g. `callsTo("POST /api/v1/x/me/tokens")`. */
    callsTo(key: string) {
      return calls.filter((call) => `${call.method} ${call.path}` === key);
    },
  };
}

function unlisted(call: FakeCall): FakeAnswer {
  return failure(404, `fake API: no answer for ${call.method} ${call.path}`);
}

export function session(overrides: Partial<WebSession["user"]> = {}): WebSession {
  return {
    user: { id: 1, name: "Ada Admin", email: "admin@localhost", role: "administrator", is_admin: true, ...overrides },
    csrf_token: "csrf-1234",
  };
}

export function project(overrides: Partial<Project> = {}): Project {
  return {
    id: 1,
    name: "Demo",
    note: null,
    is_completed: false,
    milestone_count: 0,
    milestone_active_count: 0,
    milestone_completed_count: 0,
    run_count: 0,
    run_active_count: 0,
    run_closed_count: 0,
    session_count: 0,
    session_active_count: 0,
    session_closed_count: 0,
    automation_source_count: 0,
    automation_source_active_count: 0,
    automation_source_retired_count: 0,
    automation_run_count: 0,
    automation_run_active_count: 0,
    automation_run_completed_count: 0,
    created_at: "2026-01-01T00:00:00.000Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    completed_at: null,
    ...overrides,
  };
}

/** Testmo's page envelope of `items` (one page). */
export function page<T>(items: T[]) {
  return {
    page: items.length ? 1 : null,
    prev_page: null,
    next_page: null,
    last_page: items.length ? 1 : null,
    per_page: 100,
    total: items.length,
    result: items,
    expands: {},
  };
}

/** The answers of a signed-in administrator who sees `projects`. */
export function signedIn(projects: Project[] = [project()]): Record<string, FakeRoute> {
  return {
    "GET /api/v1/x/auth/session": json({ result: session() }),
    "GET /api/v1/projects": json(page(projects)),
    ...Object.fromEntries(projects.map((p) => [`GET /api/v1/projects/${p.id}`, json({ result: p, expands: {} })])),
  };
}

export const signedOut: Record<string, FakeRoute> = {
  "GET /api/v1/x/auth/session": failure(401, "Sign in first."),
};
