import type { SetPassword, SignIn, WebSession, WebSessionResult } from "@assay/api";
import { type QueryClient, queryOptions } from "@tanstack/react-query";
import { api, isApiError, setCsrfToken } from "./client";

/**
 * The signed-in user's session (`/api/v1/x/auth/...`): null when signed out. The session's CSRF token is
 * handed to the API client whenever a session arrives, so writes carry it.
 */
export const SESSION_KEY = ["session"] as const;

async function fetchSession(): Promise<WebSession | null> {
  try {
    const { result } = await api.get<WebSessionResult>("/x/auth/session", { redirectOn401: false });
    setCsrfToken(result.csrf_token);
    return result;
  } catch (error) {
    if (isApiError(error, 401)) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const sessionQuery = queryOptions({
  queryKey: SESSION_KEY,
  queryFn: fetchSession,
  staleTime: 5 * 60_000,
  retry: false,
});

/** Stores a session that sign-in or setting a password returned. */
export function storeSession(queryClient: QueryClient, session: WebSession): void {
  setCsrfToken(session.csrf_token);
  queryClient.setQueryData(SESSION_KEY, session);
}

/** Forgets the session and every cached answer (they belonged to the user who is gone). */
export function forgetSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.clear();
  queryClient.setQueryData(SESSION_KEY, null);
}

export async function signIn(body: SignIn): Promise<WebSession> {
  const { result } = await api.post<WebSessionResult>("/x/auth/sign-in", body, { redirectOn401: false });
  return result;
}

/** Sets the password of a one-time link (invite or reset); signs the user in. */
export async function setPassword(body: SetPassword): Promise<WebSession> {
  const { result } = await api.post<WebSessionResult>("/x/auth/password", body, { redirectOn401: false });
  return result;
}

/** Ends this session, or with `everywhere` every session of the user. */
export async function signOut(everywhere = false): Promise<void> {
  await api.post<void>(everywhere ? "/x/auth/sign-out-everywhere" : "/x/auth/sign-out", undefined, {
    redirectOn401: false,
  });
}
