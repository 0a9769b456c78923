import { ApiError } from "../api/client";
import { Button } from "./Button";

/** The title people read for an error: by status for API errors. */
export function errorTitle(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong";
  switch (error.status) {
    case 0:
      return "The server cannot be reached";
    case 403:
      return "No access";
    case 404:
      return "Not found";
    case 429:
      return "Too many requests";
    default:
      return error.status >= 500 ? "The server had a problem" : "The request failed";
  }
}

/** The message of any error: the server's text for API errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "An unexpected error occurred.";
}

/** A failed load: what went wrong (the server's message) and a way to try again. */
export function ErrorState({ error, retry, title }: { error: unknown; retry?: () => void; title?: string }) {
  return (
    <div className="error-state" role="alert">
      <h2 className="error-state__title">{title ?? errorTitle(error)}</h2>
      <p>{errorMessage(error)}</p>
      {retry ? <Button onClick={retry}>Try again</Button> : null}
    </div>
  );
}
