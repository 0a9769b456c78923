import type { OneTimeLink } from "@assay/api";
import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { setPassword, storeSession } from "../../api/session";
import { Button } from "../../ui/Button";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { formatAbsolute } from "../../ui/format";
import { Loading } from "../../ui/Loading";
import { usePageTitle } from "../../ui/usePageTitle";
import { useOneTimeLink } from "./hooks";

/** The password rule of the server (`PASSWORD_MIN_LENGTH` in @assay/api; a value import would bundle TypeBox). */
export const PASSWORD_MIN_LENGTH = 12;

const inviteApi = getRouteApi("/_public/invite/$token");
const resetApi = getRouteApi("/_public/set-password/$token");

/** `/invite/$token`: a new user chooses their password. */
export function InvitePage() {
  const { token } = inviteApi.useParams();
  return <SetPasswordPage token={token} />;
}

/** `/set-password/$token`: a reset link. */
export function ResetPasswordPage() {
  const { token } = resetApi.useParams();
  return <SetPasswordPage token={token} />;
}

export function SetPasswordPage({ token }: { token: string }) {
  const link = useOneTimeLink(token);
  usePageTitle(link.data?.purpose === "invite" ? "Welcome" : "Set your password");
  if (link.isPending) return <Loading label="Checking the link…" />;
  if (link.isError) return <BadLink error={link.error} />;
  return <PasswordForm token={token} link={link.data} />;
}

function BadLink({ error }: { error: unknown }) {
  const gone = error instanceof ApiError && (error.status === 404 || error.status === 410);
  return (
    <section className="card auth-card" aria-labelledby="link-title">
      <h1 id="link-title">{gone ? "This link cannot be used" : "The link could not be checked"}</h1>
      <p role="alert">
        {gone
          ? error.status === 410
            ? "It was used already or it has expired. Ask an administrator for a new link."
            : "It is not a valid link. Check that it was copied completely, or ask an administrator for a new one."
          : errorMessage(error)}
      </p>
      <p>
        <Link to="/sign-in">Go to sign-in</Link>
      </p>
    </section>
  );
}

function PasswordForm({ token, link }: { token: string; link: OneTimeLink }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [password, setPasswordValue] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<{ password?: string; repeat?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const invite = link.purpose === "invite";
  const form = useRef<HTMLFormElement>(null);
  // after a failed submit, the first field with a problem gets the focus (its message is read with it)
  useEffect(() => {
    if (errors.password || errors.repeat) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems: typeof errors = {};
    if (password.length < PASSWORD_MIN_LENGTH) {
      problems.password = `The password must be at least ${PASSWORD_MIN_LENGTH} characters long (it has ${password.length}).`;
    }
    if (repeat !== password) problems.repeat = "The two passwords differ: type the same password twice.";
    setErrors(problems);
    if (problems.password || problems.repeat) return;
    setBusy(true);
    try {
      storeSession(queryClient, await setPassword({ token, password }));
      await navigate({ to: "/projects", replace: true });
    } catch (error) {
      setBusy(false);
      const field = error instanceof ApiError ? error.field("password") : undefined;
      setErrors(field ? { password: field } : { form: errorMessage(error) });
    }
  }

  return (
    <section className="card auth-card" aria-labelledby="password-title">
      <h1 id="password-title">{invite ? `Welcome to Assay, ${link.name}` : "Set a new password"}</h1>
      <p>
        {invite ? "Choose a password for your account " : "Choose a new password for "}
        <strong>{link.email}</strong>. This link works once, until{" "}
        <time dateTime={link.expires_at}>{formatAbsolute(link.expires_at)}</time>.
      </p>
      <form ref={form} onSubmit={onSubmit} className="form" noValidate>
        {/* for password managers: the account the new password belongs to */}
        <input type="email" name="username" autoComplete="username" value={link.email} readOnly hidden />
        <TextField
          label="New password"
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A passphrase of a few words is easy to type and hard to guess.`}
          error={errors.password}
          value={password}
          onChange={(event) => setPasswordValue(event.target.value)}
        />
        <TextField
          label="Repeat the password"
          type="password"
          name="repeat-password"
          autoComplete="new-password"
          required
          error={errors.repeat}
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
        />
        {errors.form ? (
          <p className="form__error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <Button type="submit" variant="primary" busy={busy}>
          Set password and sign in
        </Button>
      </form>
    </section>
  );
}
