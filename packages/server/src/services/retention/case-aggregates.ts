import { TestOutcome } from "@assay/api";
import {
  applyResult,
  type CaseAggregates,
  emptyAggregates,
  MAX_RECENT_OUTCOMES,
  RECENT_ELAPSED,
  type ResultFact,
} from "../insights/aggregates.js";

/**
 * A test's aggregates after some of its results are deleted, exactly as a
 * replay of the remaining results through `applyResult` would give them
 * (docs/analytics.md, "Retention"). Pure: services/retention/delete-run.ts
 * reads and writes.
 *
 * The totals (result, success, failure, skipped and elapsed counts, elapsed
 * total) are decremented by the deleted results. The recent fields (status,
 * recent_outcomes, recent_elapsed, last_commit_*, last_*) depend only on the
 * newest results, so they are rebuilt in one of three ways:
 * - the deleted results were the oldest of the test's history (the usual
 *   case: retention deletes the oldest runs first) and no commit's run of
 *   outcomes crosses the cut (`canTrim`): the windows keep their newest
 *   entries, trimmed to what is left (`trimOldest`), with no reading at all;
 * - else, at most 100 results left: replay them all (the whole history);
 * - else (runs of a source that overlapped in time, or a commit whose results
 *   span the deleted and the kept runs): replay the shortest suffix of the
 *   history that determines every recent field (`SuffixCollector`).
 */

export const REPLAY_ALL_AT_MOST = 100;

const TOTALS = [
  "result_count",
  "success_count",
  "failure_count",
  "skipped_count",
  "elapsed_count",
  "elapsed_total",
] as const;

/** One deleted result: what its row says, its outcome from the statuses table. */
export interface DeletedResult {
  id: number;
  outcome: number;
  elapsed: number | null;
}

export interface Removal {
  /** newest deleted id */
  maxId: number;
  timed: boolean;
  /** a passed or failed result was deleted */
  decisive: boolean;
}

/** The stored state with the deleted results taken off its totals (recent fields untouched). */
export function subtractTotals(state: CaseAggregates, deleted: readonly DeletedResult[]): CaseAggregates & Removal {
  const next = { ...state, recent_elapsed: [...state.recent_elapsed], maxId: 0, timed: false, decisive: false };
  for (const result of deleted) {
    next.result_count--;
    next.maxId = Math.max(next.maxId, result.id);
    if (result.elapsed !== null) {
      next.elapsed_count--;
      next.elapsed_total -= result.elapsed;
      next.timed = true;
    }
    if (result.outcome === TestOutcome.success) next.success_count--;
    else if (result.outcome === TestOutcome.failure) next.failure_count--;
    else next.skipped_count--;
    if (result.outcome === TestOutcome.success || result.outcome === TestOutcome.failure) next.decisive = true;
  }
  return next;
}

/** The recent fields of a replay with the given totals. */
export function withTotals(recent: CaseAggregates, totals: CaseAggregates): CaseAggregates {
  const state = { ...recent };
  for (const column of TOTALS) state[column] = totals[column];
  return state;
}

export function replay(results: readonly ResultFact[]): CaseAggregates {
  const state = emptyAggregates();
  for (const result of results) applyResult(state, result);
  return state;
}

/**
 * Recent fields when the deleted results were all older than every remaining
 * one and no commit's results run across the cut (see `crossesCut`): the
 * windows hold the newest outcomes and durations, so they keep their last
 * entries, as many as are left; a last pass or failure is gone only when no
 * pass or failure is left. `state` carries the decremented totals.
 */
export function trimOldest(state: CaseAggregates & Removal): CaseAggregates {
  const { maxId: _maxId, timed, decisive, ...next } = state;
  if (next.success_count === 0) next.last_passed_at = null;
  if (next.failure_count === 0) {
    next.last_failed_at = null;
    next.last_failure_group_id = null;
  }
  if (timed && next.elapsed_count < RECENT_ELAPSED) {
    next.recent_elapsed = next.elapsed_count > 0 ? next.recent_elapsed.slice(-next.elapsed_count) : [];
  }
  const decisiveLeft = next.success_count + next.failure_count;
  if (decisive && decisiveLeft < MAX_RECENT_OUTCOMES) {
    next.recent_outcomes = decisiveLeft > 0 ? next.recent_outcomes.slice(-decisiveLeft) : "";
  }
  if (decisiveLeft === 0) {
    next.last_commit_key = null;
    next.last_commit_outcomes = 0;
  }
  return next;
}

/**
 * True when a same-commit run of outcomes crosses the cut: the oldest
 * remaining passed/failed result has the commit of the deleted ones, so its
 * lower-case mark (or its absence) may have come from a deleted result.
 */
export function crossesCut(removal: Removal, deletedCommitKey: string, firstDecisiveCommitKey: string | null) {
  return removal.decisive && firstDecisiveCommitKey !== null && firstDecisiveCommitKey === deletedCommitKey;
}

/**
 * True when the windows can simply be trimmed (`trimOldest`): every deleted
 * result is older than the oldest remaining one, and no same-commit run of
 * outcomes crosses the cut. Else the history (or its suffix) is replayed.
 */
export function canTrim(
  removal: Removal,
  start: { firstId: number | null; firstDecisiveKey: string | null },
  deletedCommitKey: string,
): boolean {
  return (
    start.firstId !== null &&
    start.firstId > removal.maxId &&
    !crossesCut(removal, deletedCommitKey, start.firstDecisiveKey)
  );
}

function isDecisive(outcome: number): boolean {
  return outcome === TestOutcome.success || outcome === TestOutcome.failure;
}

/**
 * Collects a test's remaining results newest first until they determine
 * every recent field: 30 timed results (or all), the last pass and the last
 * failure (when any is left), 100 passed/failed results (or all), and then
 * back to where a commit's run of outcomes begins, so that the replay of the
 * suffix marks same-commit contradictions exactly as the full replay does.
 */
export class SuffixCollector {
  /** newest first */
  readonly results: ResultFact[] = [];
  private timed = 0;
  private decisive = 0;
  private sawSuccess = false;
  private sawFailure = false;
  private oldestDecisiveKey: string | null = null;
  private extending = false;

  constructor(private readonly left: { success: number; failure: number; timed: number }) {}

  /** Takes the next older result; false when it is not needed (and was not taken), or none more is. */
  offer(result: ResultFact): boolean {
    if (this.extending) {
      if (isDecisive(result.outcome) && result.commitKey !== this.oldestDecisiveKey) return false;
      this.take(result);
      return true;
    }
    this.take(result);
    if (!this.enough()) return true;
    // Every passed/failed result is in: no older one can carry a mark.
    if (this.oldestDecisiveKey === null || this.decisive >= this.left.success + this.left.failure) return false;
    this.extending = true;
    return true;
  }

  /** Oldest first, for `replay`. */
  suffix(): ResultFact[] {
    return [...this.results].reverse();
  }

  private take(result: ResultFact): void {
    this.results.push(result);
    if (result.elapsed !== null) this.timed++;
    if (isDecisive(result.outcome)) {
      this.decisive++;
      this.oldestDecisiveKey = result.commitKey;
      if (result.outcome === TestOutcome.success) this.sawSuccess = true;
      else this.sawFailure = true;
    }
  }

  private enough(): boolean {
    return (
      this.timed >= Math.min(RECENT_ELAPSED, this.left.timed) &&
      (this.sawSuccess || this.left.success <= 0) &&
      (this.sawFailure || this.left.failure <= 0) &&
      this.decisive >= Math.min(MAX_RECENT_OUTCOMES, this.left.success + this.left.failure)
    );
  }
}
