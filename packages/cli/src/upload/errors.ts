import { CliError } from "../commands/errors.js";

/** A final (non-retried, or retries exhausted) non-2xx answer, printed as Testmo's CLI does (§1.5). */
export class ApiResponseError extends CliError {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Server response (${status}): ${messageOf(body) ?? "[none]"}`, 1, detailLines(status, body));
    this.name = "ApiResponseError";
  }
}

/** The server rejected a body as too large; the uploader splits the batch and tries again. */
export class PayloadTooLargeError extends ApiResponseError {}

/** Network failure or timeout on the last attempt. */
export class ConnectionError extends CliError {
  constructor(message: string, details: string[] = []) {
    super(`Connection error: ${message}`, 1, details);
    this.name = "ConnectionError";
  }
}

/** What to do when a proxy answers 407, as a response (http) or to CONNECT (https). */
export const PROXY_AUTH_HINT =
  "The proxy requires credentials: pass them in the proxy address, e.g. --proxy http://user:password@proxy:3128";

/** undici's messages when a proxy refuses a CONNECT tunnel for lack of credentials. */
export function isProxyAuthFailure(message: string): boolean {
  return /proxy[^()]*\(407\)/i.test(message);
}

function messageOf(body: unknown): string | undefined {
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") return body.message;
  return undefined;
}

function detailLines(status: number, body: unknown): string[] {
  // Testmo's CLI prints "Please verify your Testmo API token"; the token may be for an Assay server.
  if (status === 401) return ["Please verify your API token (ASSAY_TOKEN or TESTMO_TOKEN)"];
  if (status === 403)
    return ["The token's user may not do this here: ask a project manager for a role that allows it."];
  if (status === 404) return ["Check --instance (the server's address) and the ID you passed."];
  if (status === 407) return [PROXY_AUTH_HINT];
  if (status !== 422 || !body || typeof body !== "object" || !("errors" in body)) return [];
  const errors = body.errors;
  if (!errors || typeof errors !== "object") return [];
  return Object.values(errors as Record<string, unknown>).flatMap((messages) => {
    const first = Array.isArray(messages) ? messages[0] : messages;
    return first === undefined ? [] : [`Validation: ${String(first)}`];
  });
}
