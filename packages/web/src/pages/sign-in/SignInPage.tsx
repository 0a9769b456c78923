import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useRouter } from "@tanstack/react-router";
import { type FormEvent, useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import { signIn, storeSession } from "../../api/session";
import { safeRedirect } from "../../app/params";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { formatWait } from "../../ui/format";
import { usePageTitle } from "../../ui/usePageTitle";

const routeApi = getRouteApi("/_public/sign-in");

/** E-mail and password; afterwards back to where the user was (`?redirect=`) or to the projects. */
export function SignInPage() {
  usePageTitle("Sign in");
  const { redirect } = routeApi.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const secondsLeft = useSecondsUntil(blockedUntil);
  const blocked = secondsLeft > 0;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || blocked) return;
    setBusy(true);
    setFailure(null);
    try {
      const session = await signIn({ email: email.trim(), password });
      storeSession(queryClient, session);
      await router.navigate({ href: safeRedirect(redirect), replace: true });
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.status === 429) {
        const wait = error.retryAfterSeconds ?? 60;
        setBlockedUntil(Date.now() + wait * 1000);
        setFailure(`${error.message} Try again in ${formatWait(wait)}.`);
      } else {
        setFailure(errorMessage(error));
      }
      if (error instanceof ApiError && error.status === 401) setPassword("");
    }
  }

  return (
    <section className="card auth-card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Assay</h1>
      {redirect && safeRedirect(redirect) !== "/projects" ? (
        <p className="muted">Sign in to continue to the page you opened.</p>
      ) : null}
      <form onSubmit={onSubmit} className="form">
        <TextField
          label="E-mail"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {failure ? (
          <p className="form__error" role="alert">
            {failure}
          </p>
        ) : null}
        <Button type="submit" variant="primary" busy={busy} disabled={blocked}>
          {blocked ? `Try again in ${formatWait(secondsLeft)}` : "Sign in"}
        </Button>
      </form>
      <p className="muted auth-card__help">
        No password yet, or forgot it? An administrator can send you a link to set one. The administrator of a new
        server uses the link printed at its first start.
      </p>
    </section>
  );
}

/** Whole seconds until `until` (a time in ms), counting down once a second; 0 when past or null. */
function useSecondsUntil(until: number | null): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const left = () => (until === null ? 0 : Math.max(0, Math.ceil((until - Date.now()) / 1000)));
    setSeconds(left());
    if (until === null) return;
    const timer = setInterval(() => {
      const value = left();
      setSeconds(value);
      if (value === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);
  return seconds;
}
