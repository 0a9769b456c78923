import fs from "node:fs";
import { isIdList, SESSION_COOKIE } from "@assay/api";
import swagger from "@fastify/swagger";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from "fastify";
import type { Config } from "./config.js";
import type { AppContext } from "./context.js";
import { InvalidDataError, invalidField } from "./errors.js";
import { watchRedis } from "./lib/rate-limiter.js";
import { decorateAuth, installAuth } from "./plugins/auth.js";
import {
  API_PREFIX,
  answerFrameworkError,
  apiGuard,
  clientErrorHandler,
  installErrorHandling,
  installMethodNotAllowed,
  isApiUrl,
  literalBadEscapes,
  MAX_HEADER_BYTES,
  MAX_URL_LENGTH,
  markAnsweredEarly,
} from "./plugins/errors.js";
import { installHealth } from "./plugins/health.js";
import { hashBodyIfIdempotent, installIdempotency } from "./plugins/idempotency.js";
import { installMetrics } from "./plugins/metrics.js";
import { type RateLimitHook, rateLimitHook } from "./plugins/rate-limit.js";
import { installWeb } from "./plugins/web.js";
import { apiRoutes } from "./routes/index.js";
import { xAuthRoutes } from "./routes/x-auth/routes.js";

export { API_PREFIX };

/** How often Node checks the header and request timeouts of open connections. */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/** The Fastify application: plugins first, then every /api/v1 route. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const { config } = ctx;
  const server = nodeServerOptions(config);
  let limit: RateLimitHook = async () => {};
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.maxBodyBytes,
    // Node's server options go to https.createServer under TLS, else to http.createServer.
    https: config.tlsCert
      ? { cert: fs.readFileSync(config.tlsCert), key: fs.readFileSync(config.tlsKey!), ...server }
      : null,
    ...(config.tlsCert ? {} : { http: server }),
    requestTimeout: config.requestTimeoutSeconds * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    // Path parameters as long as the longest URL: the schema, not the router, judges them (a 422 naming the parameter).
    routerOptions: { maxParamLength: MAX_URL_LENGTH },
    rewriteUrl: (request) => literalBadEscapes(request.url ?? "/"),
    frameworkErrors: (error, request, reply) => void answerFrameworkError(limit, error, request, reply),
    clientErrorHandler: (error, socket) => onClientError(error, socket),
    // Per-request log lines cost ingest throughput; they appear at debug and trace.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== "debug" && config.logLevel !== "trace",
    }),
  }) as unknown as FastifyInstance;
  const onClientError = clientErrorHandler(app);
  // 0 keeps Node's default: no limit.
  if (config.maxConnections > 0) app.server.maxConnections = config.maxConnections;
  app.decorate("ctx", ctx);
  if (ctx.redis) await watchRedis(ctx.redis, app.log);
  app.decorateRequest("bodyHash", null);
  decorateAuth(app);
  installValidation(app);
  installJsonParser(app);
  installErrorHandling(app);
  limit = rateLimitHook(app);
  // First hook of every request: /api/v1 answers of any origin get the contract's headers and the rate limit.
  app.addHook("onRequest", apiGuard(limit));
  app.addHook("onSend", markAnsweredEarly);
  installMetrics(app); // first: its onResponse hook then times every route; /metrics, /healthz, /readyz: no token, no rate limit
  installHealth(app);

  const routes = new Map<string, Set<string>>();
  app.addHook("onRoute", (route) => {
    const methods = routes.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    routes.set(route.url, methods);
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Assay API v1 (Testmo-compatible)",
        version: "1.0.0",
        description: "Paths, fields and envelopes of Testmo's public API v1, served by Assay.",
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer" },
          // The web UI's session (POST /x/auth/sign-in); writes with it also need X-CSRF-Token and Origin.
          sessionCookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
    // Multipart routes read their body in the handler (a `body` schema would make Fastify
    // validate it); their `multipartBody` is shown as the request body in the document only.
    transform: ({ schema, url }) => {
      const multipartBody = (schema as { multipartBody?: object } | undefined)?.multipartBody;
      return { schema: multipartBody ? { ...schema, body: multipartBody } : schema, url };
    },
  });

  await app.register(
    async (api) => {
      api.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
      // Sign-in and friends: no token needed; they read the session cookie themselves.
      await api.register(xAuthRoutes);
      await api.register(async (authed) => {
        installAuth(authed);
        installIdempotency(authed);
        authed.addHook("preValidation", rejectNulsInQuery);
        await apiRoutes(authed);
      });
    },
    { prefix: API_PREFIX },
  );
  installMethodNotAllowed(app, new Map([...routes].filter(([url]) => isApiUrl(url))));
  // The web UI at `/`, outside the API scope (no token, no rate limit); /api/... paths stay the API's 404s.
  await installWeb(app);
  return app;
}

/**
 * Node's HTTP server settings: headers, however slow, within the headers timeout; the whole
 * request within the request timeout (then 408 and the connection closed, with or without a
 * token); room in the parser for a URL of MAX_URL_LENGTH plus headers.
 */
function nodeServerOptions(config: Config) {
  return {
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: config.headersTimeoutSeconds * 1000,
    requestTimeout: config.requestTimeoutSeconds * 1000,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  };
}

/**
 * Bodies are validated strictly (a string where a number belongs is a 422);
 * query strings and path parameters are text, so they are coerced.
 */
function installValidation(app: FastifyInstance): void {
  const common = { strict: false, allErrors: false, useDefaults: true } as const;
  const bodyAjv = addFormats.default(new Ajv({ ...common, coerceTypes: false })).addFormat("id-list", isIdList);
  const textAjv = addFormats.default(new Ajv({ ...common, coerceTypes: true })).addFormat("id-list", isIdList);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === "body" ? bodyAjv.compile(schema) : textAjv.compile(schema),
  );
  // Responses are built by presenters in the exact API shape: serialise as is.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/** A NUL in a query value can match nothing and PostgreSQL cannot take it: a 422 naming the parameter. */
async function rejectNulsInQuery(request: FastifyRequest): Promise<void> {
  for (const [name, value] of Object.entries(request.query as Record<string, unknown>)) {
    if (String(value).includes("\u0000")) {
      throw invalidField(name, `The ${name} parameter contains a NUL character (%00). Remove it from the URL.`);
    }
  }
}

/**
 * `\u0000` escapes not preceded by another backslash. PostgreSQL text cannot hold
 * U+0000, so a NUL in any string (say, a binary's console output) is stored as
 * U+FFFD on both databases instead of failing the whole request.
 */
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

export function replaceEscapedNuls(json: string): string {
  return json.includes("\\u0000") ? json.replace(ESCAPED_NUL, "$1\\ufffd") : json;
}

/** JSON bodies: an empty body counts as `{}`; malformed JSON is a 422 that says where. */
function installJsonParser(app: FastifyInstance): void {
  // Only JSON (and, where a route adds it, multipart) bodies: anything else is a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "application/json",
    { parseAs: "string", bodyLimit: app.initialConfig.bodyLimit },
    (request: FastifyRequest, body: string | Buffer, done) => {
      const text = body.toString();
      hashBodyIfIdempotent(request, text);
      if (text.trim() === "") return done(null, {});
      try {
        done(null, JSON.parse(replaceEscapedNuls(text)));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        done(new InvalidDataError(`The request body is not valid JSON (${reason}). Send a JSON object.`), undefined);
      }
    },
  );
}
