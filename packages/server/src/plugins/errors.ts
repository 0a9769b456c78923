import { MAX_ID } from "@assay/api";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, type FieldErrors } from "../errors.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

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
    const path = request.url.split("?")[0];
    send(
      reply,
      404,
      `There is no endpoint ${request.method} ${path}. The endpoints are listed in /api/v1/openapi.json.`,
    );
  });
}

/** Answers every method a known path does not have with 405 and the `Allow` header. */
export function installMethodNotAllowed(
  app: FastifyInstance,
  routes: Map<string, Set<string>>,
  onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<void>,
): void {
  for (const [url, methods] of routes) {
    const allowed = [...methods].sort().join(", ");
    const missing = METHODS.filter((m) => !methods.has(m));
    if (missing.length === 0) continue;
    app.route({
      method: [...missing],
      url,
      onRequest,
      // not an operation of the API: keep it out of the OpenAPI document
      schema: { hide: true },
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
  const result: FieldErrors = {};
  const where = error.validationContext ?? "body";
  for (const issue of error.validation ?? []) {
    const params = issue.params as Record<string, unknown>;
    const path = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
    const field =
      typeof params.missingProperty === "string" ? [path, params.missingProperty].filter(Boolean).join(".") : path;
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
