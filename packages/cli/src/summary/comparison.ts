import type { ComparedTest, RunComparison } from "@assay/api";
import { COMPARISON_CATEGORIES } from "../api-values.js";
import type { ApiClient } from "../upload/client.js";
import { ApiResponseError, ConnectionError } from "../upload/errors.js";
import { LISTED } from "./render.js";

/** Tests listed per category in the summary (the endpoint's `limit`). */
export const SUMMARY_LIMIT = 10;

export type ComparisonOutcome = { ok: true; comparison: RunComparison } | { ok: false; reason: string };

/**
 * The summary is a bonus: a few retries at most, so that a server without the endpoint (an
 * older Assay, Testmo) or a flaky network never holds a CI job for minutes after its upload.
 */
const SUMMARY_BUDGET = { maxRetries: 2, maxRateLimitWaits: 3 };

/** GET /x/automation/runs/{id}/comparison; never throws: a failure becomes a reason to print. */
export async function fetchComparison(
  client: ApiClient,
  runId: number,
  limit = SUMMARY_LIMIT,
): Promise<ComparisonOutcome> {
  let answer: unknown;
  try {
    // Only the lists the summary prints: ordering a first run's 100,000 new tests by name is most of the cost.
    const query = `limit=${limit}&categories=${LISTED.join(",")}`;
    answer = await client.get(`/x/automation/runs/${runId}/comparison?${query}`, SUMMARY_BUDGET);
  } catch (error) {
    return { ok: false, reason: describeFailure(error) };
  }
  const comparison = readComparison(answer);
  return comparison ? { ok: true, comparison } : { ok: false, reason: "the server's answer is not a run comparison" };
}

function describeFailure(error: unknown): string {
  if (error instanceof ApiResponseError) {
    if (error.status === 404 || error.status === 405) {
      return `${error.message}; the server does not offer run comparisons (an older Assay, or Testmo)`;
    }
    return error.message;
  }
  if (error instanceof ConnectionError) return error.message;
  if (error instanceof SyntaxError) return "the server's answer is not JSON";
  return error instanceof Error ? error.message : String(error);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

/**
 * Checks what the summary and the exit code rely on (counts, failures, the run); lists that are
 * missing or malformed become empty, and list entries lacking a name are dropped.
 */
export function readComparison(answer: unknown): RunComparison | undefined {
  if (!isRecord(answer) || !isRecord(answer.result)) return undefined;
  const result = answer.result;
  const { counts, failures, run } = result;
  if (!isRecord(run) || !isCount(run.id) || !isRecord(counts) || !isRecord(failures)) return undefined;
  if (!COMPARISON_CATEGORIES.every((category) => isCount(counts[category]))) return undefined;
  if (!isCount(failures.total) || !isCount(failures.quarantined) || !isCount(failures.unquarantined)) return undefined;
  const tests = isRecord(result.tests) ? result.tests : {};
  const lists = Object.fromEntries(
    COMPARISON_CATEGORIES.map((category) => {
      const list = tests[category];
      return [category, Array.isArray(list) ? list.filter(isComparedTest) : []];
    }),
  ) as RunComparison["tests"];
  return {
    ...(result as unknown as RunComparison),
    baseline:
      isRecord(result.baseline) && isCount(result.baseline.id) ? (result.baseline as RunComparison["baseline"]) : null,
    tests: lists,
  };
}

function isComparedTest(value: unknown): value is ComparedTest {
  return isRecord(value) && typeof value.name === "string";
}
