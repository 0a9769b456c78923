import { randomUUID } from "node:crypto";
import type { Logger } from "../output/logger.js";
import {
  ApiResponseError,
  ConnectionError,
  isProxyAuthFailure,
  PayloadTooLargeError,
  PROXY_AUTH_HINT,
} from "./errors.js";
import { type Answer, sendWithNodeHttp } from "./http.js";
import { classifyNetworkError } from "./network.js";
import { backoffDelayMs, isRetryableStatus, type RetryPolicy, retryAfterDelayMs } from "./retry.js";

export interface ApiClientOptions {
  /** Origin of the server, e.g. `https://assay.example.com` (no trailing slash). */
  origin: string;
  token: string;
  userAgent: string;
  policy: RetryPolicy;
  logger: Logger;
  /** `http(s)://[user:pass@]host:port` of an HTTP proxy; https targets are tunnelled with CONNECT. */
  proxy?: string;
}

type Fetch = typeof fetch;

/** Lower retry counts for one request (never higher than the policy's). */
export interface RequestBudget {
  maxRetries?: number;
  maxRateLimitWaits?: number;
}

/** How much of a request or response body --debug prints; full bodies can be hundreds of MB (W24). */
const DEBUG_BODY_CHARS = 1000;

/**
 * A small JSON client over Node's built-in fetch (undici): keep-alive connections, one
 * Idempotency-Key per logical request reused on every retry, and the retry policy.
 */
export class ApiClient {
  private fetcher: Promise<Fetch> | undefined;

  constructor(private readonly options: ApiClientOptions) {}

  /** POSTs `body` to `/api/v1<path>` and returns the parsed JSON answer (undefined for 204). */
  async post<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.request<T>("POST", path, JSON.stringify(body), {});
  }

  /** POSTs a body that is already JSON (text or UTF-8 bytes, serialised while the previous request ran). */
  async postSerialized<T = unknown>(path: string, json: string | Uint8Array): Promise<T> {
    return this.request<T>("POST", path, json, {});
  }

  /**
   * GETs `/api/v1<path>` and returns the parsed JSON answer, with the same retries as a POST;
   * `budget` lowers the retry counts for requests that are only nice to have.
   */
  async get<T = unknown>(path: string, budget: RequestBudget = {}): Promise<T> {
    return this.request<T>("GET", path, undefined, budget);
  }

  private async request<T>(
    method: "GET" | "POST",
    path: string,
    payload: string | Uint8Array | undefined,
    budget: RequestBudget,
  ): Promise<T> {
    const { logger } = this.options;
    const policy = {
      ...this.options.policy,
      maxRetries: Math.min(this.options.policy.maxRetries, budget.maxRetries ?? Number.POSITIVE_INFINITY),
      maxRateLimitWaits: Math.min(
        this.options.policy.maxRateLimitWaits,
        budget.maxRateLimitWaits ?? Number.POSITIVE_INFINITY,
      ),
    };
    const url = `${this.options.origin}/api/v1${path}`;
    // Only writes carry an Idempotency-Key: a GET is safe to repeat as it is.
    const idempotencyKey = method === "POST" ? randomUUID() : undefined;
    let failures = 0;
    let rateLimitWaits = 0;

    for (;;) {
      logger.debug(() => `Request: ${method} ${url}${idempotencyKey ? ` (Idempotency-Key ${idempotencyKey})` : ""}`);
      if (payload !== undefined) logger.debug(() => `Request body: ${clip(Buffer.from(payload).toString("utf8"))}`);
      let response: Answer;
      try {
        response = await this.send(method, url, payload, idempotencyKey);
      } catch (error) {
        const failure = classifyNetworkError(error, policy.requestTimeoutMs);
        const message = failure.message + this.viaProxy();
        // Wrong or missing proxy credentials do not heal by waiting: fail at once.
        if (isProxyAuthFailure(message)) throw new ConnectionError(message, [PROXY_AUTH_HINT]);
        if (!failure.transient) throw new ConnectionError(message, failure.hints);
        if (failures >= policy.maxRetries) throw new ConnectionError(message);
        const delay = backoffDelayMs(policy, failures++);
        logger.warn(`Connection error: ${message}; retrying in ${seconds(delay)} (${failures}/${policy.maxRetries})`);
        await policy.sleep(delay);
        continue;
      }

      const { text } = response;
      logger.debug(() => `Response: ${response.status} ${clip(text)}`);
      if (response.ok) return (text ? JSON.parse(text) : undefined) as T;

      const errorBody = parseJson(text);
      if (response.status === 429 && rateLimitWaits < policy.maxRateLimitWaits) {
        rateLimitWaits++;
        const delay = retryAfterDelayMs(policy, response.headers.get("retry-after"));
        logger.warn(`Server response (429): rate limited; retrying in ${seconds(delay)}`);
        await policy.sleep(delay);
        continue;
      }
      if (isRetryableStatus(response.status) && failures < policy.maxRetries) {
        const delay = backoffDelayMs(policy, failures++);
        logger.warn(
          `Server response (${response.status}): ${messageOf(errorBody)}; retrying in ${seconds(delay)} (${failures}/${policy.maxRetries})`,
        );
        await policy.sleep(delay);
        continue;
      }
      if (response.status === 413) throw new PayloadTooLargeError(413, errorBody);
      throw new ApiResponseError(response.status, errorBody);
    }
  }

  /**
   * One attempt, body read included. The timeout is a timer cleared when the answer is read:
   * AbortSignal.timeout() would keep every request's signal (and what it references) alive for
   * the whole timeout, thousands of them in a long upload.
   */
  private async send(
    method: "GET" | "POST",
    url: string,
    payload: string | Uint8Array | undefined,
    idempotencyKey: string | undefined,
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.token}`,
      "User-Agent": this.options.userAgent,
      Accept: "application/json",
    };
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    if (idempotencyKey !== undefined) headers["Idempotency-Key"] = idempotencyKey;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException("The request timed out", "TimeoutError")),
      this.options.policy.requestTimeoutMs,
    );
    try {
      const options = { method, headers, body: payload, signal: controller.signal };
      if (!this.options.proxy) return await sendWithNodeHttp(url, options);
      this.fetcher ??= proxiedFetch(this.options.proxy);
      const response = await (await this.fetcher)(url, options);
      const text = await response.text();
      return { status: response.status, ok: response.ok, headers: response.headers, text };
    } finally {
      clearTimeout(timer);
    }
  }

  private viaProxy(): string {
    return this.options.proxy ? ` (through the proxy ${redactCredentials(this.options.proxy)})` : "";
  }
}

/**
 * Node's built-in fetch has no proxy support, so a proxied client uses the undici package's
 * fetch with its ProxyAgent (the pair must come from the same undici). Like Testmo's CLI, an
 * https server is reached through a CONNECT tunnel and an http one by forwarding; credentials
 * in the proxy URL become `Proxy-Authorization: Basic`. Loaded only when a proxy is given.
 */
async function proxiedFetch(proxy: string): Promise<Fetch> {
  const undici = await import("undici");
  const dispatcher = new undici.ProxyAgent({ uri: proxy, proxyTunnel: false });
  return ((input, init) => undici.fetch(input as string, { ...init, dispatcher } as never)) as Fetch;
}

/** `http://user:secret@proxy:3128` → `http://user:***@proxy:3128`, for messages and logs. */
export function redactCredentials(address: string): string {
  try {
    const url = new URL(address);
    if (url.password) url.password = "***";
    return url.href.replace(/\/$/, "");
  } catch {
    return address;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function messageOf(body: unknown): string {
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") return body.message;
  return "[none]";
}

function clip(text: string): string {
  return text.length > DEBUG_BODY_CHARS ? `${text.slice(0, DEBUG_BODY_CHARS)}… (${text.length} characters)` : text;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
