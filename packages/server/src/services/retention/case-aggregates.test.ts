import { TestOutcome } from "@assay/api";
import { describe, expect, it } from "vitest";
import { type CaseAggregates, commitKey, type ResultFact } from "../insights/aggregates.js";
import {
  canTrim,
  REPLAY_ALL_AT_MOST,
  replay,
  SuffixCollector,
  subtractTotals,
  trimOldest,
  withTotals,
} from "./case-aggregates.js";

const { success: P, failure: F, neutral: N } = TestOutcome;

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Result extends ResultFact {
  id: number;
}

/**
 * One test's history: `runs` runs, 0–3 results each (retries), runs sharing
 * commits in pairs or not at all, overlapping in time (a later run's results
 * may come before an earlier run's), outcome mixes from "always passes" to
 * "mostly skipped", some results without elapsed.
 */
function history(seed: number, runs: number) {
  const rnd = random(seed);
  const mix = [
    [0.9, 0.05],
    [0.5, 0.4],
    [0.05, 0.05],
    [0.2, 0.7],
  ][seed % 4]!;
  const sharedCommits = rnd() < 0.5;
  const pending: { run: number; outcome: number }[][] = [];
  for (let run = 1; run <= runs; run++) {
    const count = Math.floor(rnd() * 4);
    const results = [];
    for (let i = 0; i < count; i++) {
      const r = rnd();
      results.push({ run, outcome: r < mix[0]! ? P : r < mix[0]! + mix[1]! ? F : N });
    }
    pending.push(results);
  }
  // Interleave: mostly in run order, sometimes the next run's results first.
  const order: { run: number; outcome: number }[] = [];
  for (let i = 0; i < pending.length; i++) {
    if (i + 1 < pending.length && rnd() < 0.15) {
      order.push(...pending[i + 1]!, ...pending[i]!);
      i++;
    } else order.push(...pending[i]!);
  }
  return order.map(
    (r, index): Result => ({
      id: index + 1,
      runId: r.run,
      outcome: r.outcome,
      elapsed: rnd() < 0.2 ? null : Math.floor(rnd() * 1000),
      commitKey: sharedCommits ? `sha${Math.ceil(r.run / 2)}` : commitKey(null, r.run),
      failureGroupId: r.outcome === F ? 1 + Math.floor(rnd() * 3) : null,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
    }),
  );
}

/** What delete-run.ts does for one chunk of one run, with the history in memory. */
function afterChunk(stored: CaseAggregates, all: readonly Result[], chunk: readonly Result[]): CaseAggregates {
  const gone = new Set(chunk.map((r) => r.id));
  const remaining = all.filter((r) => !gone.has(r.id));
  const totals = subtractTotals(
    stored,
    chunk.map((r) => ({ id: r.id, outcome: r.outcome, elapsed: r.elapsed })),
  );
  const firstDecisive = remaining.find((r) => r.outcome !== N);
  const start = { firstId: remaining[0]?.id ?? null, firstDecisiveKey: firstDecisive?.commitKey ?? null };
  if (canTrim(totals, start, chunk[0]!.commitKey)) return trimOldest(totals);
  if (totals.result_count <= REPLAY_ALL_AT_MOST) return withTotals(replay(remaining), totals);
  const collector = new SuffixCollector({
    success: totals.success_count,
    failure: totals.failure_count,
    timed: totals.elapsed_count,
  });
  for (let i = remaining.length - 1; i >= 0 && collector.offer(remaining[i]!); i--);
  return withTotals(replay(collector.suffix()), totals);
}

describe("aggregates after retention deletes results", () => {
  it("equal a full replay of the remaining results, chunk after chunk, whatever the history", () => {
    let trimmed = 0;
    let suffixes = 0;
    for (let seed = 1; seed <= 160; seed++) {
      let results = history(seed, 60 + (seed % 5) * 30);
      let state = replay(results);
      const rnd = random(seed * 7919);
      // Retention deletes the oldest runs first (by creation, here the run number), each in chunks.
      const runs = [...new Set(results.map((r) => r.runId))].sort((a, b) => a - b);
      const expire = runs.slice(0, Math.floor(runs.length * (0.2 + rnd() * 0.7)));
      for (const run of expire) {
        const ofRun = results.filter((r) => r.runId === run);
        const size = 1 + Math.floor(rnd() * 3);
        for (let start = 0; start < ofRun.length; start += size) {
          const chunk = ofRun.slice(start, start + size);
          const before = state;
          state = afterChunk(state, results, chunk);
          const gone = new Set(chunk.map((r) => r.id));
          results = results.filter((r) => !gone.has(r.id));
          expect(state, `seed ${seed}, run ${run}`).toEqual(replay(results));
          const firstDecisive = results.find((r) => r.outcome !== N);
          const left = { firstId: results[0]?.id ?? null, firstDecisiveKey: firstDecisive?.commitKey ?? null };
          if (canTrim(subtractTotals(before, chunk), left, chunk[0]!.commitKey)) trimmed++;
          else if (before.result_count - chunk.length > REPLAY_ALL_AT_MOST) suffixes++;
        }
      }
    }
    // Trimming and suffix replays were both exercised (the rest replayed whole histories).
    expect(trimmed).toBeGreaterThan(100);
    expect(suffixes).toBeGreaterThan(20);
  });

  it("a test whose only failure is deleted has no last failure, even with many results left", () => {
    const results: Result[] = [];
    const add = (outcome: number) =>
      results.push({
        id: results.length + 1,
        runId: results.length + 1,
        outcome,
        elapsed: 10,
        commitKey: `run:${results.length + 1}`,
        failureGroupId: outcome === F ? 5 : null,
        at: new Date(Date.UTC(2026, 0, 1 + results.length)).toISOString(),
      });
    add(F);
    for (let i = 0; i < 150; i++) add(P);
    const state = afterChunk(replay(results), results, results.slice(0, 1));
    expect(state).toMatchObject({ failure_count: 0, last_failed_at: null, last_failure_group_id: null });
    expect(state.recent_outcomes).toBe("P".repeat(100));
    expect(state).toEqual(replay(results.slice(1)));
  });
});
