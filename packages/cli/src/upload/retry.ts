/**
 * When and how long to wait before repeating a request. Testmo's CLI never retries (W1); we
 * retry what is safe to retry, because every POST carries an Idempotency-Key the server
 * replays: a repeated request can never store results twice.
 */
export interface RetryPolicy {
  /** Attempts after the first one for 5xx, 408, network errors and timeouts. */
  maxRetries: number;
  /** 429 answers are the server asking us to slow down, not failures: they have their own, larger budget. */
  maxRateLimitWaits: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wait when a 429 carries no usable Retry-After (Testmo's documented minimum). */
  defaultRetryAfterMs: number;
  /** Multiplies every wait; tests set it near 0 so they never sleep for a minute. */
  scale: number;
  requestTimeoutMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function retryPolicyFromEnv(env: NodeJS.ProcessEnv): RetryPolicy {
  return {
    maxRetries: nonNegativeNumber(env.ASSAY_MAX_RETRIES, 10),
    maxRateLimitWaits: 100,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    defaultRetryAfterMs: 60_000,
    scale: nonNegativeNumber(env.ASSAY_RETRY_SCALE, 1),
    requestTimeoutMs: nonNegativeNumber(env.ASSAY_REQUEST_TIMEOUT, 120) * 1000,
    random: Math.random,
    sleep: defaultSleep,
  };
}

/** Capped exponential backoff with full jitter: uniform in [0, min(cap, base·2^attempt)]. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return policy.random() * ceiling * policy.scale;
}

/** Retry-After in seconds or as an HTTP date; the documented 60 s when absent or unreadable. */
export function retryAfterDelayMs(policy: RetryPolicy, header: string | null, now = Date.now()): number {
  return parseRetryAfterMs(header, now, policy.defaultRetryAfterMs) * policy.scale;
}

export function parseRetryAfterMs(header: string | null, now: number, fallbackMs: number): number {
  const value = header?.trim();
  if (!value) return fallbackMs;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? fallbackMs : Math.max(0, date - now);
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status >= 500;
}

function nonNegativeNumber(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}
