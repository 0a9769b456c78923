import { AutomationStatus, DEFAULT_STATUSES } from "@assay/api";
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import type { Database } from "../storage/schema.js";
import { countOf, finalStatus, longestThread, resolveTests, threadElapsed } from "./automation.js";
import { StatusCatalog } from "./statuses.js";

/** A catalog over the default statuses, without a database. */
async function catalog(): Promise<StatusCatalog> {
  const rows = DEFAULT_STATUSES.map((s) => ({
    ...s,
    is_final: s.is_final ? 1 : 0,
    is_untested: s.is_untested ? 1 : 0,
    is_passed: s.is_passed ? 1 : 0,
    is_failed: s.is_failed ? 1 : 0,
    aliases: JSON.stringify(s.aliases),
  }));
  const fakeDb = {
    selectFrom: () => ({ selectAll: () => ({ orderBy: () => ({ execute: async () => rows }) }) }),
  } as unknown as Kysely<Database>;
  return StatusCatalog.load(fakeDb);
}

const test = (status: string) => ({ key: "k", name: "n", folder: "f", status });

describe("status aliases", () => {
  it("maps what Testmo's CLI sends: passed, failure, error, skipped", async () => {
    const statuses = await catalog();
    const resolved = resolveTests(statuses, { tests: ["passed", "failure", "error", "skipped", "PASSED"].map(test) });
    expect(resolved.map((t) => t.statusId)).toEqual([2, 3, 3, 6, 2]);
    expect(resolved[2]!.test.status).toBe("error");
  });

  it("rejects an unknown alias with its index and the accepted aliases", async () => {
    const statuses = await catalog();
    try {
      resolveTests(statuses, { tests: [test("passed"), test("exploded")] });
      expect.unreachable();
    } catch (error) {
      const e = error as { statusCode: number; fieldErrors: Record<string, string[]> };
      expect(e.statusCode).toBe(422);
      expect(Object.keys(e.fieldErrors)).toEqual(["tests.1.status"]);
      expect(e.fieldErrors["tests.1.status"]![0]).toContain("failure");
    }
  });
});

describe("run and thread state", () => {
  it("is success without failed tests and failure with any failed or errored test", async () => {
    const statuses = await catalog();
    expect(finalStatus(statuses, () => 0)).toBe(AutomationStatus.success);
    expect(finalStatus(statuses, (id) => (id === 2 || id === 6 ? 10 : 0))).toBe(AutomationStatus.success);
    expect(finalStatus(statuses, (id) => (id === 3 ? 1 : 0))).toBe(AutomationStatus.failure);
  });

  it("takes a thread's observed time before its computed time, and a run's longest thread", () => {
    expect(threadElapsed({ elapsed_observed: 5, elapsed_computed: 9 })).toBe(5);
    expect(threadElapsed({ elapsed_observed: null, elapsed_computed: 9 })).toBe(9);
    expect(
      longestThread([
        { elapsed_observed: 5, elapsed_computed: null },
        { elapsed_observed: null, elapsed_computed: 9 },
      ]),
    ).toBe(9);
    expect(longestThread([{ elapsed_observed: null, elapsed_computed: null }])).toBeNull();
  });

  it("reads per-status counters from count columns", () => {
    expect(countOf({ count_2: 4 }, 2)).toBe(4);
    expect(countOf({ count_2: 4 }, 3)).toBe(0);
  });
});
