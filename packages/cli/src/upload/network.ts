/**
 * Which network failures a retry can heal. A server that restarts refuses or resets
 * connections for a few seconds: worth waiting for. A certificate the client does not trust,
 * a host name that does not exist or an https address that answers in plain http stays wrong
 * however long we wait, so those fail at once with what to do.
 */
export interface NetworkFailure {
  message: string;
  /** false: retrying cannot help. */
  transient: boolean;
  /** What the user should do, printed after the message. */
  hints: string[];
}

const CERTIFICATE_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

const UNTRUSTED_HINT =
  "The server's TLS certificate is not trusted. For a self-signed or private CA certificate, " +
  "point NODE_EXTRA_CA_CERTS at the CA's PEM file, e.g. NODE_EXTRA_CA_CERTS=/path/to/ca.pem assay …";

/** Reads the error undici throws (`fetch failed`, the useful part in `cause`). */
export function classifyNetworkError(error: unknown, timeoutMs: number): NetworkFailure {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return { message: `Timeout of ${timeoutMs}ms exceeded`, transient: true, hints: [] };
  }
  const { message, code, hostname } = innermost(error);
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    const hints =
      code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID"
        ? [
            "The server's TLS certificate is outside its validity period: renew it on the server (check the clocks too).",
          ]
        : code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH"
          ? ["The server's TLS certificate is for another name: use the host name the certificate names in --instance."]
          : [UNTRUSTED_HINT];
    return { message: `${message} (${code})`, transient: false, hints };
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/.test(message)) {
    return {
      message: "the server did not answer in TLS (https)",
      transient: false,
      hints: ["This address serves plain http: use http:// in --instance, or enable TLS on the server."],
    };
  }
  if (code === "ENOTFOUND") {
    return {
      message,
      transient: false,
      hints: [`The host name${hostname ? ` ${hostname}` : ""} does not resolve: check --instance for a typo.`],
    };
  }
  if (code === "ERR_INVALID_URL" || message === "bad port" || message === "invalid port") {
    return { message, transient: false, hints: ["Check the address given in --instance."] };
  }
  return { message, transient: true, hints: [] };
}

/** undici hides the useful part (`connect ECONNREFUSED …`) in `cause`; dig it out. */
function innermost(error: unknown): { message: string; code?: string; hostname?: string } {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  let code: string | undefined;
  let hostname: string | undefined;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    const details = current as Error & { code?: unknown; hostname?: unknown };
    if (current !== error && current.message) message = current.message;
    if (typeof details.code === "string") code = details.code;
    if (typeof details.hostname === "string") hostname = details.hostname;
    current = current.cause;
  }
  return { message, code, hostname };
}
