import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { MAX_ID } from "@assay/api";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, type FieldErrors, invalidField } from "../errors.js";
import { limitByAddress, type RateLimitHook } from "./rate-limit.js";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

export const API_PREFIX = "/api/v1";

/** Longest URL (path and query string) the API takes; longer ones are a 422. */
export const MAX_URL_LENGTH = 16_384;

/** Longest request line plus headers Node's parser reads (`http.maxHeaderSize`): room for the URL and headers. */
export const MAX_HEADER_BYTES = 65_536;

/** Sent with every API response, whatever answers it: never sniffed as another type, never stored by a cache. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

export function isApiUrl(url: string): boolean {
  return url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith(`${API_PREFIX}?`);
}

/**
 * The first hook of every request: an /api/v1 request gets the contract's headers and the rate
 * limit before anything else runs (routes, 404s, 405s alike), then its URL length is checked.
 */
export function apiGuard(limit: RateLimitHook): RateLimitHook {
  return async (request, reply) => {
    if (!isApiUrl(request.url)) return;
    reply.headers(API_HEADERS);
    await limit(request, reply);
    const length = request.originalUrl.length;
    if (length > MAX_URL_LENGTH) {
      throw invalidField(
        "url",
        `The URL is ${length} characters long; the limit is ${MAX_URL_LENGTH}. Send shorter query values, e.g. split a long list of ids over several requests.`,
      );
    }
  };
}

/**
 * `rewriteUrl`: an /api/v1 path that is not valid percent-encoded UTF-8 (say `%FF%FE`) is taken
 * literally (`%` as `%25`), so the router matches it like any other text and the usual answer
 * follows: a 422 naming the path parameter, or a 404 for a path no endpoint has.
 */
export function literalBadEscapes(url: string): string {
  if (!isApiUrl(url) || !url.includes("%")) return url;
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  try {
    decodeURI(path);
    return url;
  } catch {
    return path.replaceAll("%", "%25") + url.slice(path.length);
  }
}

/**
 * Fastify's `frameworkErrors`: errors of the router, before any hook ran. The rewritten URL and
 * the raised `maxParamLength` keep API paths from getting here; should one still arrive, it gets
 * the contract's body and headers like every other answer.
 */
export async function answerFrameworkError(
  limit: RateLimitHook,
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const path = request.url.split("?")[0];
  try {
    if (isApiUrl(request.url)) {
      reply.headers(API_HEADERS);
      await limit(request, reply);
    }
  } catch (limited) {
    if (limited instanceof ApiError) {
      send(reply, limited.statusCode, limited.message, limited.fieldErrors, limited.headers);
      return;
    }
    request.log.warn({ err: limited }, "rate limit not applied to a router error");
  }
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    const message = `A path segment of ${path} is too long. Path parameters are ids; the URL may be at most ${MAX_URL_LENGTH} characters.`;
    send(reply, 422, message, { url: [message] });
    return;
  }
  send(reply, 404, `There is no endpoint ${request.method} ${path}: the path is not valid percent-encoded UTF-8.`);
}

/** Connections whose current request was answered before its body had arrived: never answered twice. */
const answeredEarly = new WeakSet<Socket>();

/**
 * onSend: remembers an answer given before the request's body has arrived (a 401 or 429 from a
 * hook). Node keeps reading that body so the connection can serve the next request; should the
 * body not arrive in time, the connection is then closed without a second answer.
 */
export async function markAnsweredEarly(request: FastifyRequest): Promise<void> {
  if (request.raw.complete) return;
  const { socket } = request.raw;
  answeredEarly.add(socket);
  request.raw.once("end", () => answeredEarly.delete(socket));
}

/**
 * `clientErrorHandler`: errors of Node's HTTP parser and its timeouts, before Fastify saw a
 * request. The answer has the contract's body and headers (rate limited by client address,
 * the only thing known), then the connection is closed.
 */
export function clientErrorHandler(app: FastifyInstance) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    // A response already under way on this connection (e.g. an early 401 while the body still trickles in).
    const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (response?.headersSent || answeredEarly.has(socket)) {
      socket.destroy();
      return;
    }
    const { status, message } = describeClientError(app, error);
    void answerOnSocket(app, socket, status, message);
  };
}

function describeClientError(app: FastifyInstance, error: Error & { code?: string }) {
  const { config } = app.ctx;
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    return {
      status: 408,
      message: `The request did not arrive in time (headers within ${config.headersTimeoutSeconds} s, the whole request within ${config.requestTimeoutSeconds} s): the connection is closed. Send it again; on a slow link send less per request.`,
    };
  }
  if (error.code === "HPE_HEADER_OVERFLOW") {
    return {
      status: 422,
      message: `The request line and headers are larger than ${MAX_HEADER_BYTES / 1024} KiB. Use a URL of at most ${MAX_URL_LENGTH} characters and fewer or shorter headers.`,
    };
  }
  return {
    status: 400,
    message: `The request is not valid HTTP/1.1 (${error.code ?? error.message}). Send a well-formed request.`,
  };
}

async function answerOnSocket(app: FastifyInstance, socket: Socket, status: number, message: string): Promise<void> {
  const headers: Record<string, string> = { ...API_HEADERS };
  try {
    const limit = await limitByAddress(app, socket.remoteAddress ?? "unknown");
    Object.assign(headers, limit.headers);
    if (limit.limited) {
      status = 429;
      message = limit.limited.message;
      Object.assign(headers, limit.limited.headers);
    }
  } catch (error) {
    app.log.warn({ err: error }, "rate limit not applied to a client error");
  }
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ message });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    "content-type: application/json; charset=utf-8",
    `content-length: ${Buffer.byteLength(body)}`,
    "connection: close",
  ];
  socket.end(`${lines.join("\r\n")}\r\n\r\n${body}`);
  socket.destroySoon();
}

/**
 * The error contract: every failure is JSON `{message, errors?}` with the
 * status codes of Testmo's API. Unknown paths are 404, known paths with the
 * wrong method 405 with `Allow`; nothing a client sends yields a 5xx.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return send(reply, error.statusCode, error.message, error.fieldErrors, error.headers);
    }
    if (error.validation) {
      const fieldErrors = validationErrors(error);
      const first = Object.values(fieldErrors)[0]?.[0] ?? "The request is invalid.";
      return send(reply, 422, `The given data was invalid: ${first}`, fieldErrors);
    }
    const known = FASTIFY_ERRORS[error.code ?? ""];
    if (known) return send(reply, known.status, known.message(app, error));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, error.statusCode, error.message);
    }
    request.log.error({ err: error }, "unexpected error");
    return send(
      reply,
      500,
      "Internal server error: the request was not applied. Retry later; if it persists, report it with the time of the request.",
    );
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.originalUrl.split("?")[0];
    send(
      reply,
      404,
      `There is no endpoint ${request.method} ${path}. The endpoints are listed in /api/v1/openapi.json.`,
    );
  });
}

/**
 * Known paths answer OPTIONS with 204 and `Allow`, and every other method they do not have
 * (HEAD included, where there is no GET) with 405 and `Allow`.
 */
export function installMethodNotAllowed(app: FastifyInstance, routes: Map<string, Set<string>>): void {
  for (const [url, methods] of routes) {
    const allowed = [...new Set([...methods, "OPTIONS"])].sort().join(", ");
    // not operations of the API: kept out of the OpenAPI document
    const schema = { hide: true };
    if (!methods.has("OPTIONS")) {
      app.route({
        method: "OPTIONS",
        url,
        schema,
        handler: async (_request, reply) => reply.code(204).header("allow", allowed).send(),
      });
    }
    const missing = METHODS.filter((m) => !methods.has(m));
    if (missing.length === 0) continue;
    app.route({
      method: [...missing],
      url,
      schema,
      handler: async (request, reply) =>
        send(reply, 405, `${request.method} is not allowed on this endpoint. Use ${allowed}.`, undefined, {
          allow: allowed,
        }),
    });
  }
}

export function send(
  reply: FastifyReply,
  status: number,
  message: string,
  errors?: FieldErrors,
  headers: Record<string, string> = {},
) {
  reply.code(status).headers(headers).type("application/json; charset=utf-8");
  return reply.send(errors ? { message, errors } : { message });
}

const FASTIFY_ERRORS: Record<string, { status: number; message: (app: FastifyInstance, e: FastifyError) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    message: (app) =>
      `The request body is larger than the server's limit of ${Math.round(app.initialConfig.bodyLimit! / 1048576)} MiB. Send fewer tests per request.`,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    message: () => "Unsupported Content-Type: send the body as application/json.",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    message: () => "The Content-Length header does not match the body that was sent.",
  },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, message: () => "The Content-Type header is empty: send application/json." },
};

/** Ajv errors → `{"tests.3.key": ["…"]}`, in the shape Testmo's CLI prints. */
export function validationErrors(error: FastifyError): FieldErrors {
  // Field names come from the request (an unknown key is named itself): `constructor` or `__proto__` must
  // be plain keys here, not Object.prototype's members.
  const result: FieldErrors = Object.create(null);
  const where = error.validationContext ?? "body";
  for (const issue of error.validation ?? []) {
    const params = issue.params as Record<string, unknown>;
    const path = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
    // the offending key itself, not its parent object: `body` alone says nothing about what to fix
    const named = params.missingProperty ?? params.additionalProperty;
    const field = typeof named === "string" ? [path, named].filter(Boolean).join(".") : path;
    const name = field || where;
    const messages = result[name] ?? [];
    messages.push(describe(name, issue.keyword, params, issue.message));
    result[name] = messages;
  }
  return result;
}

function describe(field: string, keyword: string, params: Record<string, unknown>, fallback?: string): string {
  switch (keyword) {
    case "required":
      return `The ${field} field is required.`;
    case "type":
      return `The ${field} field must be of type ${String(params.type)}.`;
    case "enum":
      return `The ${field} field must be one of: ${(params.allowedValues as unknown[]).join(", ")}.`;
    case "maxLength":
      return `The ${field} field must not be longer than ${String(params.limit)} characters.`;
    case "minLength":
      return `The ${field} field must not be empty.`;
    case "additionalProperties":
      return `The ${field} field is not accepted here (no additional properties): remove it, or check its spelling against /api/v1/openapi.json.`;
    case "maxItems":
      return `The ${field} field must not have more than ${String(params.limit)} items; split the request.`;
    case "minimum":
      return `The ${field} field must be at least ${String(params.limit)}.`;
    case "maximum":
      return `The ${field} field must be at most ${String(params.limit)}.`;
    case "pattern":
      return `The ${field} field must match the pattern ${String(params.pattern)}.`;
    case "format":
      if (params.format === "id-list") {
        return `The ${field} field must be a comma-separated list of ids (whole numbers up to ${MAX_ID}), e.g. 2,3.`;
      }
      return `The ${field} field must be a valid ${String(params.format)} (e.g. 2024-05-01T00:00:00Z).`;
    default:
      return `The ${field} field ${fallback ?? "is invalid"}.`;
  }
}
